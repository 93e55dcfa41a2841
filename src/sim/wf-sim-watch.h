/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wf-sim-config.h"
#include "wf-sim-da-context.h"
#include "wf-sim-flash.h"
#include "wf-sim-link.h"
#include "wf-transport.h"

G_BEGIN_DECLS

#define WF_TYPE_SIM_WATCH (wf_sim_watch_get_type())
G_DECLARE_FINAL_TYPE(WfSimWatch, wf_sim_watch, WF, SIM_WATCH, GObject)

typedef enum {
	WF_SIM_EVENT_PORT_ADDED,   /* @link is the new port */
	WF_SIM_EVENT_PORT_REMOVED, /* @reason says why */
	WF_SIM_EVENT_HANDSHAKE,	   /* @value: first-byte latency in µs */
	WF_SIM_EVENT_RESET,	   /* software reset; the port goes and comes back */
	WF_SIM_EVENT_JUMP_DA,	   /* @value: the jump address */
	WF_SIM_EVENT_HALTED,	   /* @value: the fatal status; the BROM is silent now */
} WfSimEventKind;

/**
 * WfSimEvent:
 * @kind: what happened
 * @generation: which appearance of the port (1, 2, …)
 * @link: the port's link (PORT_ADDED, PORT_REMOVED)
 * @reason: PORT_REMOVED only: "lifetime", "charger-wdt", "reset", "boot",
 *   "unplug", "disconnect", "shutdown"
 * @value: see #WfSimEventKind
 */
typedef struct {
	WfSimEventKind kind;
	guint generation;
	WfSimLink *link;
	const gchar *reason;
	guint32 value;
} WfSimEvent;

/* called in the watch's own thread; PORT_ADDED returns before the watch
 * starts listening, so a pty can be set up synchronously */
typedef void (*WfSimEventFunc)(WfSimWatch *watch, const WfSimEvent *event, gpointer user_data);

const gchar *
wf_sim_event_kind_to_string(WfSimEventKind kind);

WfSimWatch *
wf_sim_watch_new(const WfSimConfig *config, GError **error);
void
wf_sim_watch_set_event_func(WfSimWatch *self, WfSimEventFunc func, gpointer user_data);
void
wf_sim_watch_set_da_func(WfSimWatch *self,
			 WfSimDaFunc func,
			 gpointer user_data,
			 GDestroyNotify destroy);
void
wf_sim_watch_plug_in(WfSimWatch *self);
void
wf_sim_watch_unplug(WfSimWatch *self);
void
wf_sim_watch_shutdown(WfSimWatch *self);

WfTransport *
wf_sim_watch_open_port(WfSimWatch *self, GError **error);
WfTransport *
wf_sim_watch_wait_port(WfSimWatch *self,
		       guint timeout_ms,
		       GCancellable *cancellable,
		       GError **error);
gboolean
wf_sim_watch_has_port(WfSimWatch *self);
guint
wf_sim_watch_get_generation(WfSimWatch *self);

const guint8 *
wf_sim_watch_get_me_id(WfSimWatch *self);
const gchar *
wf_sim_watch_get_chip(WfSimWatch *self);
const guint8 *
wf_sim_watch_get_jedec(WfSimWatch *self);
gsize
wf_sim_watch_get_flash_size(WfSimWatch *self);
WfSimFlash *
wf_sim_watch_get_flash(WfSimWatch *self);
GBytes *
wf_sim_watch_dup_flash(WfSimWatch *self);
gint64
wf_sim_watch_get_first_byte_latency_us(WfSimWatch *self);
gboolean
wf_sim_watch_sync(WfSimWatch *self, GError **error);

G_END_DECLS
