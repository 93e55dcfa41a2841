/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wf-sim-da-context.h"
#include "wf-sim-faults.h"
#include "wf-sim-link.h"
#include "wf-sim-memory.h"

G_BEGIN_DECLS

#define WF_TYPE_SIM_BROM (wf_sim_brom_get_type())
G_DECLARE_FINAL_TYPE(WfSimBrom, wf_sim_brom, WF, SIM_BROM, GObject)

/* why a BROM session ended */
typedef enum {
	WF_SIM_BROM_EXIT_LOST,	      /* the port went away under it */
	WF_SIM_BROM_EXIT_LIFETIME,    /* no handshake before the port's time ran out */
	WF_SIM_BROM_EXIT_CHARGER_WDT, /* the charger watchdog expired */
	WF_SIM_BROM_EXIT_RESET,	      /* software reset (0xA003001C = 0x1209, or the DA) */
	WF_SIM_BROM_EXIT_BOOT,	      /* JUMP_BL: the chip left for the firmware */
} WfSimBromExit;

typedef enum {
	WF_SIM_BROM_EVENT_HANDSHAKE, /* value: 0 */
	WF_SIM_BROM_EVENT_JUMP_DA,   /* value: the jump address */
	WF_SIM_BROM_EVENT_HALTED,    /* value: the fatal status; the BROM is silent now */
} WfSimBromEvent;

typedef void (*WfSimBromEventFunc)(WfSimBrom *brom,
				   WfSimBromEvent event,
				   guint32 value,
				   gpointer user_data);

WfSimBrom *
wf_sim_brom_new(WfSimMemory *memory, WfSimLink *link, WfSimFaults *faults, const guint8 me_id[16]);
void
wf_sim_brom_set_timeouts(WfSimBrom *self,
			 gint64 appear_us,
			 guint lifetime_ms,
			 guint charger_wdt_ms);
void
wf_sim_brom_set_da_func(WfSimBrom *self, WfSimDaFunc func, gpointer user_data);
void
wf_sim_brom_set_event_func(WfSimBrom *self, WfSimBromEventFunc func, gpointer user_data);
WfSimBromExit
wf_sim_brom_run(WfSimBrom *self);
const gchar *
wf_sim_brom_exit_to_string(WfSimBromExit exit);

G_END_DECLS
