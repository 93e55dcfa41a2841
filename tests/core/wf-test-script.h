/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wf-transport.h"

G_BEGIN_DECLS

/*
 * A WfTransport that plays a scripted conversation: "expect these host
 * bytes, then reply those". Host bytes are matched as a stream, so one write
 * may satisfy several expect steps (pipelining) and one expect step may be
 * satisfied by several writes. A reply becomes readable once every step
 * before it has been consumed. Reads with nothing queued wait for their
 * timeout, as a silent watch would, then fail with WF_ERROR_TIMED_OUT.
 *
 * Byte strings are hex, spaces ignored: "D1 A01C0108 00000001".
 */

#define WF_TYPE_TEST_SCRIPT (wf_test_script_get_type())
G_DECLARE_FINAL_TYPE(WfTestScript, wf_test_script, WF, TEST_SCRIPT, GObject)

WfTestScript *
wf_test_script_new(void);

/* the host must send exactly these bytes next */
void
wf_test_script_expect(WfTestScript *self, const gchar *hex);
void
wf_test_script_expect_bytes(WfTestScript *self, const guint8 *buf, gsize len);
/* the host may send this byte any number of times (also none) */
void
wf_test_script_expect_repeated(WfTestScript *self, guint8 byte);
/* swallow everything the host sends from here on */
void
wf_test_script_expect_any(WfTestScript *self);

/* the watch sends these bytes */
void
wf_test_script_reply(WfTestScript *self, const gchar *hex);
void
wf_test_script_reply_bytes(WfTestScript *self, const guint8 *buf, gsize len);
/* expect @hex and send it straight back */
void
wf_test_script_echo(WfTestScript *self, const gchar *hex);
/* later replies arrive @ms after this step is reached */
void
wf_test_script_delay(WfTestScript *self, guint ms);
/* the port vanishes here: queued bytes can still be read, then DEVICE_LOST */
void
wf_test_script_disconnect(WfTestScript *self);

/* at most this many bytes per read (0 = no limit), to split replies */
void
wf_test_script_set_max_read(WfTestScript *self, gsize max_read);

/* TRUE if every step was consumed, every reply read and no host byte was
 * unexpected; otherwise an error saying what differed */
gboolean
wf_test_script_finish(WfTestScript *self, GError **error);
/* g_test assertion: the whole script was played, nothing mismatched */
void
wf_test_script_assert_finished(WfTestScript *self);
/* unread reply bytes */
gsize
wf_test_script_get_unread(WfTestScript *self);
/* the most reply bytes that were queued but unread when the host wrote:
 * more than 0 means the host sent a request before reading an answer */
gsize
wf_test_script_get_max_unread_at_write(WfTestScript *self);
guint
wf_test_script_get_n_writes(WfTestScript *self);
guint
wf_test_script_get_n_discards(WfTestScript *self);

/* whole boot-ROM exchanges as the watch answers them when all is well */
void
wf_test_script_brom_read16_legacy(WfTestScript *self, guint32 addr, guint16 value);
void
wf_test_script_brom_read32(WfTestScript *self, guint32 addr, guint32 value);
void
wf_test_script_brom_write16(WfTestScript *self, guint32 addr, guint16 value);
void
wf_test_script_brom_write32(WfTestScript *self, guint32 addr, const guint32 *values, guint count);
/* one D4 of a single word */
void
wf_test_script_brom_write32_one(WfTestScript *self, guint32 addr, guint32 value);
/* one D1 of @len bytes whose memory holds @mem */
void
wf_test_script_brom_read_memory(WfTestScript *self, guint32 addr, const guint8 *mem, gsize len);

/* parses "A0 0a50" into bytes; aborts the test on bad input */
GByteArray *
wf_test_script_parse_hex(const gchar *hex);

G_END_DECLS
