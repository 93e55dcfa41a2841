/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wf-brom.h"

G_BEGIN_DECLS

/*
 * A pipelined run of boot-ROM D1 READ32 / D4 WRITE32 commands: all of them
 * go out in one write, without waiting for a single echo, and the echoes,
 * status words and data are checked afterwards, in order. One round trip per
 * batch instead of one per command (and per written value), which is what
 * makes driving the flash controller from the host fast enough to write
 * a whole flash (docs/sfi-write.md).
 *
 * The boot ROM executes every command of a batch whatever the host finds in
 * the replies later, so a caller builds batches whose commands are safe to
 * run blind and checks the read results afterwards. Several batches may be
 * in flight: send them in order and receive them in the same order.
 *
 * Every command carries a subject ("page program", address) and a label
 * ("PP: start"), so a failure names what it was doing, e.g.
 *   page program at 0x00120100: PP start (control write): D4 WRITE32 of
 *   1 word at 0xA0140000: the watch echoed ... instead of ...
 */

#define WF_TYPE_BROM_BATCH (wf_brom_batch_get_type())
G_DECLARE_FINAL_TYPE(WfBromBatch, wf_brom_batch, WF, BROM_BATCH, GObject)

/* the index wf_brom_batch_get_failed() returns when nothing failed */
#define WF_BROM_BATCH_NONE G_MAXUINT

WfBromBatch *
wf_brom_batch_new(WfBrom *brom);
WfBrom *
wf_brom_batch_get_brom(WfBromBatch *self);
void
wf_brom_batch_reset(WfBromBatch *self);

/* what the following commands are about; @what must be a static string */
void
wf_brom_batch_set_subject(WfBromBatch *self, const gchar *what, guint32 addr);

/* queueing; @label must be a static string. Each returns the command index. */
guint
wf_brom_batch_write32(
	WfBromBatch *self, guint32 addr, const guint32 *values, guint32 count, const gchar *label);
guint
wf_brom_batch_write32_one(WfBromBatch *self, guint32 addr, guint32 value, const gchar *label);
guint
wf_brom_batch_read32(WfBromBatch *self, guint32 addr, guint32 count, const gchar *label);

guint
wf_brom_batch_get_n_commands(WfBromBatch *self);
gsize
wf_brom_batch_get_request_size(WfBromBatch *self);
gsize
wf_brom_batch_get_reply_size(WfBromBatch *self);

/* running */
gboolean
wf_brom_batch_send(WfBromBatch *self, GCancellable *cancellable, GError **error);
gboolean
wf_brom_batch_receive(WfBromBatch *self, GCancellable *cancellable, GError **error);
gboolean
wf_brom_batch_run(WfBromBatch *self, GCancellable *cancellable, GError **error);

/* results of READ32 commands, in host order, valid after a receive */
const guint32 *
wf_brom_batch_get_words(WfBromBatch *self, guint cmd, guint32 *count);
guint32
wf_brom_batch_get_word(WfBromBatch *self, guint cmd, guint32 idx);

/* after a failed receive: which command, and what it was about */
guint
wf_brom_batch_get_failed(WfBromBatch *self);
const gchar *
wf_brom_batch_get_label(WfBromBatch *self, guint cmd);
const gchar *
wf_brom_batch_get_subject(WfBromBatch *self, guint cmd, guint32 *addr);

/* reads and drops input until the line has been quiet for a while */
void
wf_brom_batch_drain(WfBrom *brom);

G_END_DECLS
