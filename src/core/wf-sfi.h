/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wf-brom.h"

G_BEGIN_DECLS

/*
 * The serial-flash interface controller driven from the host through boot-ROM
 * READ32/WRITE32 (protocol.md §3.11): raw SPI-NOR transactions with no code
 * on the chip. Everything else (JEDEC id, status, later erase and program) is
 * built from wf_sfi_transact().
 */

#define WF_TYPE_SFI (wf_sfi_get_type())
G_DECLARE_FINAL_TYPE(WfSfi, wf_sfi, WF, SFI, GObject)

/* SFI registers (protocol.md §3.11) */
#define WF_SFI_REG_CONTROL  0xA0140000
#define WF_SFI_REG_STATUS   0xA0140008
#define WF_SFI_REG_SEND_LEN 0xA0140010
#define WF_SFI_REG_RECV_LEN 0xA0140014
#define WF_SFI_REG_GPRAM    0xA0140800

/* control bits */
#define WF_SFI_CONTROL_BUSY	    0x01
#define WF_SFI_CONTROL_MACRO_ACTIVE 0x02
#define WF_SFI_CONTROL_START	    0x04
#define WF_SFI_CONTROL_MACRO	    0x08
#define WF_SFI_CONTROL_QPI	    0x10
/* status bit: ready for a transaction */
#define WF_SFI_STATUS_READY 0x100

/* bytes sent + received in one transaction: 4 command/address bytes, a
 * 256-byte page and a little slack, as the payload that proved it uses */
#define WF_SFI_MAX_TRANSFER (4 + 256 + 6)

/* how many times each wait reads its register before giving up */
#define WF_SFI_DEFAULT_MAX_POLLS 200

/* SPI-NOR commands */
#define WF_SFI_NOR_RDID 0x9F
#define WF_SFI_NOR_RDSR 0x05

WfSfi *
wf_sfi_new(WfBrom *brom);
WfBrom *
wf_sfi_get_brom(WfSfi *self);
void
wf_sfi_set_max_polls(WfSfi *self, guint max_polls);

gboolean
wf_sfi_transact(WfSfi *self,
		const guint8 *tx,
		gsize txlen,
		guint8 *rx,
		gsize rxlen,
		GCancellable *cancellable,
		GError **error);

gboolean
wf_sfi_read_jedec_id(WfSfi *self, guint8 id[3], GCancellable *cancellable, GError **error);
gboolean
wf_sfi_read_status(WfSfi *self, guint8 *status, GCancellable *cancellable, GError **error);

G_END_DECLS
