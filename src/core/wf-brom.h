/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "wf-transport.h"

G_BEGIN_DECLS

/*
 * The MediaTek boot ROM ("BROM") download protocol, host side
 * (../shared/docs/protocol.md §2–3). Synchronous; call it from one thread.
 * Every failing call returns a #GError naming the command and, for a status
 * word, its plain-language meaning (see wf_brom_status_to_string()).
 */

#define WF_TYPE_BROM (wf_brom_get_type())
G_DECLARE_FINAL_TYPE(WfBrom, wf_brom, WF, BROM, GObject)

/* Default per-reply timeout; a watch answers in about a millisecond. */
#define WF_BROM_DEFAULT_TIMEOUT_MS 1000
/* How long the handshake waits for each reply byte: short, so that a caller
 * can spam it while the port is only alive for about a second. */
#define WF_BROM_HANDSHAKE_BYTE_TIMEOUT_MS 20
/* wf_brom_read_memory() defaults, used when 0 is passed (docs/protocol-notes.md) */
#define WF_BROM_DEFAULT_CHUNK_SIZE (64 * 1024)
#define WF_BROM_DEFAULT_DEPTH	   2
#define WF_BROM_MAX_DEPTH	   16

typedef enum {
	WF_BROM_HANDSHAKE_DONE,		/* 5F F5 AF FA received */
	WF_BROM_HANDSHAKE_ALREADY_DONE, /* A0 echoed: the BROM was already in its command loop */
} WfBromHandshakeResult;

WfBrom *
wf_brom_new(WfTransport *transport);
WfTransport *
wf_brom_get_transport(WfBrom *self);
void
wf_brom_set_timeout(WfBrom *self, guint timeout_ms);
guint
wf_brom_get_timeout(WfBrom *self);
/* TRUE after a failed SEND_DA/JUMP_DA: the boot ROM answers nothing more
 * until the watch is unplugged (protocol.md §3.1) */
gboolean
wf_brom_is_halted(WfBrom *self);

gboolean
wf_brom_handshake(WfBrom *self,
		  guint timeout_ms,
		  WfBromHandshakeResult *result,
		  GCancellable *cancellable,
		  GError **error);

/* A2: legacy READ16, no status words */
gboolean
wf_brom_read16_legacy(WfBrom *self,
		      guint32 addr,
		      guint16 *words,
		      guint32 count,
		      GCancellable *cancellable,
		      GError **error);
/* D0 / D1 */
gboolean
wf_brom_read16(WfBrom *self,
	       guint32 addr,
	       guint16 *words,
	       guint32 count,
	       GCancellable *cancellable,
	       GError **error);
gboolean
wf_brom_read32(WfBrom *self,
	       guint32 addr,
	       guint32 *words,
	       guint32 count,
	       GCancellable *cancellable,
	       GError **error);
/* D2 / D4 */
gboolean
wf_brom_write16(WfBrom *self,
		guint32 addr,
		const guint16 *words,
		guint32 count,
		GCancellable *cancellable,
		GError **error);
gboolean
wf_brom_write32(WfBrom *self,
		guint32 addr,
		const guint32 *words,
		guint32 count,
		GCancellable *cancellable,
		GError **error);

/*
 * Memory bytes through D1 READ32 with each 32-bit word byte-swapped back to
 * memory order (so flash bytes come out as they are stored). @addr and @len
 * must be multiples of 4. Large requests are split into commands of
 * @chunk_size bytes and pipelined: up to @depth commands are on the wire at
 * once, so the link and not the echo round trips sets the pace.
 * @progress_cb, if given, is called after every completed chunk.
 */
typedef void (*WfBromProgressFunc)(gsize done, gsize total, gpointer user_data);
gboolean
wf_brom_read_memory(WfBrom *self,
		    guint32 addr,
		    guint8 *buf,
		    gsize len,
		    gsize chunk_size,
		    guint depth,
		    WfBromProgressFunc progress_cb,
		    gpointer progress_data,
		    GCancellable *cancellable,
		    GError **error);

/* FF, FE, D8, E1 */
gboolean
wf_brom_get_version(WfBrom *self, guint8 *version, GCancellable *cancellable, GError **error);
gboolean
wf_brom_get_bl_version(WfBrom *self, guint8 *version, GCancellable *cancellable, GError **error);
gboolean
wf_brom_get_target_config(WfBrom *self, guint32 *config, GCancellable *cancellable, GError **error);
gboolean
wf_brom_get_me_id(WfBrom *self, guint8 me_id[16], GCancellable *cancellable, GError **error);

/* D7 SEND_DA (checks the XOR16 checksum) and D5 JUMP_DA */
gboolean
wf_brom_send_da(WfBrom *self,
		guint32 load_addr,
		const guint8 *data,
		gsize len,
		guint32 sig_len,
		GCancellable *cancellable,
		GError **error);
gboolean
wf_brom_jump_da(WfBrom *self, guint32 addr, GCancellable *cancellable, GError **error);

/* Convenience steps of a download session (protocol.md §3.7, §3.9) */
gboolean
wf_brom_disable_watchdog(WfBrom *self, GCancellable *cancellable, GError **error);
gboolean
wf_brom_remap_flash(WfBrom *self, GCancellable *cancellable, GError **error);
gboolean
wf_brom_reset(WfBrom *self, GCancellable *cancellable, GError **error);
/* 0xA0700A24 = 0x0015 like SP Flash Tool: stops the charger watchdog from
 * resetting a battery-less watch mid-session (protocol.md §1.4) */
gboolean
wf_brom_extend_charger_wdt(WfBrom *self, GCancellable *cancellable, GError **error);

guint16
wf_brom_xor16(const guint8 *data, gsize len);
const gchar *
wf_brom_status_to_string(guint16 status);

G_END_DECLS
