/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wf-sim-flash.h"

G_BEGIN_DECLS

#define WF_TYPE_SIM_SFI (wf_sim_sfi_get_type())
G_DECLARE_FINAL_TYPE(WfSimSfi, wf_sim_sfi, WF, SIM_SFI, GObject)

/* the controller's register block on the bus */
#define WF_SIM_SFI_BASE 0xA0140000u
#define WF_SIM_SFI_SIZE 0x1000u

/* register offsets and bits, protocol.md §3.11 */
#define WF_SIM_SFI_REG_CONTROL	0x000
#define WF_SIM_SFI_REG_STATUS	0x008
#define WF_SIM_SFI_REG_SEND_LEN 0x010
#define WF_SIM_SFI_REG_RECV_LEN 0x014
#define WF_SIM_SFI_GPRAM	0x800
#define WF_SIM_SFI_GPRAM_SIZE	0x400 /* [I] */
#define WF_SIM_SFI_CTRL_BUSY	0x01
#define WF_SIM_SFI_CTRL_ACTIVE	0x02
#define WF_SIM_SFI_CTRL_START	0x04
#define WF_SIM_SFI_CTRL_MACRO	0x08
#define WF_SIM_SFI_CTRL_QPI	0x10
#define WF_SIM_SFI_STATUS_READY 0x100

WfSimSfi *
wf_sim_sfi_new(WfSimFlash *flash);
guint32
wf_sim_sfi_read32(WfSimSfi *self, guint32 offset);
void
wf_sim_sfi_write32(WfSimSfi *self, guint32 offset, guint32 value);
guint
wf_sim_sfi_get_aborted_count(WfSimSfi *self);

G_END_DECLS
