/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-test-script.h"

#include <string.h>

#include "wf-error.h"

typedef enum {
	WF_TEST_STEP_EXPECT,
	WF_TEST_STEP_EXPECT_REPEATED,
	WF_TEST_STEP_EXPECT_ANY,
	WF_TEST_STEP_REPLY,
	WF_TEST_STEP_DELAY,
	WF_TEST_STEP_DISCONNECT,
} WfTestStepKind;

typedef struct {
	WfTestStepKind kind;
	GByteArray *bytes; /* EXPECT, REPLY; one byte for EXPECT_REPEATED */
	guint delay_ms;
} WfTestStep;

/* reply bytes on their way to the host */
typedef struct {
	GByteArray *bytes;
	gsize pos;
	gint64 ready_us;
} WfTestChunk;

struct _WfTestScript {
	GObject parent_instance;
	GPtrArray *steps;
	guint cursor;	  /* current step */
	gsize expect_pos; /* bytes of the current EXPECT step already matched */
	GQueue *queue;	  /* of WfTestChunk */
	gint64 reply_ready_us;
	gboolean disconnected;
	gchar *mismatch;
	gsize max_read;
	gsize max_unread_at_write;
	guint n_writes;
	guint n_discards;
};

static void
wf_test_script_iface_init(WfTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(WfTestScript,
			      wf_test_script,
			      G_TYPE_OBJECT,
			      G_IMPLEMENT_INTERFACE(WF_TYPE_TRANSPORT, wf_test_script_iface_init))

static void
wf_test_step_free(WfTestStep *step)
{
	if (step->bytes != NULL)
		g_byte_array_unref(step->bytes);
	g_free(step);
}

static void
wf_test_chunk_free(WfTestChunk *chunk)
{
	g_byte_array_unref(chunk->bytes);
	g_free(chunk);
}

GByteArray *
wf_test_script_parse_hex(const gchar *hex)
{
	GByteArray *array = g_byte_array_new();
	gint hi = -1;

	for (const gchar *p = hex; *p != '\0'; p++) {
		gint v;
		guint8 byte;
		if (g_ascii_isspace(*p))
			continue;
		v = g_ascii_xdigit_value(*p);
		g_assert_cmpint(v, >=, 0);
		if (hi < 0) {
			hi = v;
			continue;
		}
		byte = (guint8)((hi << 4) | v);
		g_byte_array_append(array, &byte, 1);
		hi = -1;
	}
	g_assert_cmpint(hi, ==, -1);
	return array;
}

static WfTestStep *
wf_test_script_add_step(WfTestScript *self, WfTestStepKind kind, GByteArray *bytes)
{
	WfTestStep *step = g_new0(WfTestStep, 1);

	step->kind = kind;
	step->bytes = bytes;
	g_ptr_array_add(self->steps, step);
	return step;
}

void
wf_test_script_expect_bytes(WfTestScript *self, const guint8 *buf, gsize len)
{
	GByteArray *bytes = g_byte_array_sized_new((guint)len);

	g_return_if_fail(WF_IS_TEST_SCRIPT(self));
	g_byte_array_append(bytes, buf, (guint)len);
	wf_test_script_add_step(self, WF_TEST_STEP_EXPECT, bytes);
}

void
wf_test_script_expect(WfTestScript *self, const gchar *hex)
{
	g_return_if_fail(WF_IS_TEST_SCRIPT(self));
	wf_test_script_add_step(self, WF_TEST_STEP_EXPECT, wf_test_script_parse_hex(hex));
}

void
wf_test_script_expect_repeated(WfTestScript *self, guint8 byte)
{
	GByteArray *bytes = g_byte_array_new();

	g_return_if_fail(WF_IS_TEST_SCRIPT(self));
	g_byte_array_append(bytes, &byte, 1);
	wf_test_script_add_step(self, WF_TEST_STEP_EXPECT_REPEATED, bytes);
}

void
wf_test_script_expect_any(WfTestScript *self)
{
	g_return_if_fail(WF_IS_TEST_SCRIPT(self));
	wf_test_script_add_step(self, WF_TEST_STEP_EXPECT_ANY, NULL);
}

void
wf_test_script_reply_bytes(WfTestScript *self, const guint8 *buf, gsize len)
{
	GByteArray *bytes = g_byte_array_sized_new((guint)len);

	g_return_if_fail(WF_IS_TEST_SCRIPT(self));
	g_byte_array_append(bytes, buf, (guint)len);
	wf_test_script_add_step(self, WF_TEST_STEP_REPLY, bytes);
}

void
wf_test_script_reply(WfTestScript *self, const gchar *hex)
{
	g_return_if_fail(WF_IS_TEST_SCRIPT(self));
	wf_test_script_add_step(self, WF_TEST_STEP_REPLY, wf_test_script_parse_hex(hex));
}

void
wf_test_script_echo(WfTestScript *self, const gchar *hex)
{
	wf_test_script_expect(self, hex);
	wf_test_script_reply(self, hex);
}

void
wf_test_script_delay(WfTestScript *self, guint ms)
{
	WfTestStep *step;

	g_return_if_fail(WF_IS_TEST_SCRIPT(self));
	step = wf_test_script_add_step(self, WF_TEST_STEP_DELAY, NULL);
	step->delay_ms = ms;
}

void
wf_test_script_disconnect(WfTestScript *self)
{
	g_return_if_fail(WF_IS_TEST_SCRIPT(self));
	wf_test_script_add_step(self, WF_TEST_STEP_DISCONNECT, NULL);
}

void
wf_test_script_set_max_read(WfTestScript *self, gsize max_read)
{
	g_return_if_fail(WF_IS_TEST_SCRIPT(self));
	self->max_read = max_read;
}

static WfTestStep *
wf_test_script_current(WfTestScript *self)
{
	if (self->cursor >= self->steps->len)
		return NULL;
	return g_ptr_array_index(self->steps, self->cursor);
}

/* runs the steps that need no host bytes: replies, delays, disconnects */
static void
wf_test_script_advance(WfTestScript *self)
{
	WfTestStep *step;

	while ((step = wf_test_script_current(self)) != NULL) {
		if (step->kind == WF_TEST_STEP_REPLY) {
			WfTestChunk *chunk = g_new0(WfTestChunk, 1);
			chunk->bytes = g_byte_array_ref(step->bytes);
			chunk->ready_us = self->reply_ready_us;
			g_queue_push_tail(self->queue, chunk);
		} else if (step->kind == WF_TEST_STEP_DELAY) {
			/* delays add up: each one is after the previous reply */
			self->reply_ready_us = MAX(self->reply_ready_us, g_get_monotonic_time()) +
					       (gint64)step->delay_ms * 1000;
		} else if (step->kind == WF_TEST_STEP_DISCONNECT) {
			self->disconnected = TRUE;
		} else {
			return;
		}
		self->cursor++;
	}
}

static gsize
wf_test_script_unread(WfTestScript *self)
{
	gsize total = 0;

	for (GList *l = self->queue->head; l != NULL; l = l->next) {
		WfTestChunk *chunk = l->data;
		total += chunk->bytes->len - chunk->pos;
	}
	return total;
}

/* matches one host byte; FALSE and a message when it was not expected */
static gboolean
wf_test_script_consume(WfTestScript *self, guint8 byte, gsize offset)
{
	for (;;) {
		WfTestStep *step;

		wf_test_script_advance(self);
		step = wf_test_script_current(self);
		if (step == NULL) {
			self->mismatch =
				g_strdup_printf("host byte %02X (offset %" G_GSIZE_FORMAT
						" of write %u) after the end of the script",
						byte,
						offset,
						self->n_writes);
			return FALSE;
		}
		if (step->kind == WF_TEST_STEP_EXPECT_ANY)
			return TRUE;
		if (step->kind == WF_TEST_STEP_EXPECT_REPEATED) {
			if (byte == step->bytes->data[0])
				return TRUE;
			self->cursor++;
			continue;
		}
		g_assert(step->kind == WF_TEST_STEP_EXPECT);
		if (step->bytes->data[self->expect_pos] != byte) {
			g_autofree gchar *want = NULL;
			GString *str = g_string_new(NULL);
			for (guint i = 0; i < step->bytes->len; i++)
				g_string_append_printf(str, "%02X", step->bytes->data[i]);
			want = g_string_free(str, FALSE);
			self->mismatch = g_strdup_printf(
				"step %u: expected host bytes %s, byte %" G_GSIZE_FORMAT
				" differs: got %02X (write %u, offset %" G_GSIZE_FORMAT ")",
				self->cursor,
				want,
				self->expect_pos,
				byte,
				self->n_writes,
				offset);
			return FALSE;
		}
		if (++self->expect_pos == step->bytes->len) {
			self->expect_pos = 0;
			self->cursor++;
		}
		return TRUE;
	}
}

static gboolean
wf_test_script_write(WfTransport *transport,
		     const guint8 *buf,
		     gsize bufsz,
		     guint timeout_ms,
		     GCancellable *cancellable,
		     GError **error)
{
	WfTestScript *self = WF_TEST_SCRIPT(transport);

	self->n_writes++;
	if (self->disconnected) {
		g_set_error(error, WF_ERROR, WF_ERROR_DEVICE_LOST, "script: the port went away");
		return FALSE;
	}
	self->max_unread_at_write = MAX(self->max_unread_at_write, wf_test_script_unread(self));
	for (gsize i = 0; i < bufsz; i++) {
		if (self->mismatch == NULL && !wf_test_script_consume(self, buf[i], i)) {
			g_set_error(
				error, WF_ERROR, WF_ERROR_INTERNAL, "script: %s", self->mismatch);
			return FALSE;
		}
		if (self->mismatch != NULL) {
			g_set_error(
				error, WF_ERROR, WF_ERROR_INTERNAL, "script: %s", self->mismatch);
			return FALSE;
		}
	}
	wf_test_script_advance(self);
	return TRUE;
}

/* waits like a silent line would, waking early when cancelled */
static gboolean
wf_test_script_sleep_until(gint64 until_us, GCancellable *cancellable, GError **error)
{
	for (;;) {
		gint64 now = g_get_monotonic_time();
		if (g_cancellable_set_error_if_cancelled(cancellable, error))
			return FALSE;
		if (now >= until_us)
			return TRUE;
		g_usleep(MIN(until_us - now, 5000));
	}
}

static gboolean
wf_test_script_read(WfTransport *transport,
		    guint8 *buf,
		    gsize bufsz,
		    gsize *actual,
		    guint timeout_ms,
		    GCancellable *cancellable,
		    GError **error)
{
	WfTestScript *self = WF_TEST_SCRIPT(transport);
	gint64 deadline_us = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	WfTestChunk *chunk = g_queue_peek_head(self->queue);
	gsize limit = self->max_read > 0 ? MIN(self->max_read, bufsz) : bufsz;
	gsize done = 0;

	if (chunk == NULL) {
		if (self->disconnected) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_DEVICE_LOST,
				    "script: the port went away");
			return FALSE;
		}
		if (!wf_test_script_sleep_until(deadline_us, cancellable, error))
			return FALSE;
		g_set_error(error, WF_ERROR, WF_ERROR_TIMED_OUT, "script: silence");
		return FALSE;
	}
	if (chunk->ready_us > deadline_us) {
		if (!wf_test_script_sleep_until(deadline_us, cancellable, error))
			return FALSE;
		g_set_error(error, WF_ERROR, WF_ERROR_TIMED_OUT, "script: not yet");
		return FALSE;
	}
	if (!wf_test_script_sleep_until(chunk->ready_us, cancellable, error))
		return FALSE;
	/* everything that is ready, in one go, like read() on a tty */
	while (done < limit && (chunk = g_queue_peek_head(self->queue)) != NULL &&
	       chunk->ready_us <= g_get_monotonic_time()) {
		gsize n = MIN(limit - done, chunk->bytes->len - chunk->pos);
		memcpy(buf + done, chunk->bytes->data + chunk->pos, n);
		chunk->pos += n;
		done += n;
		if (chunk->pos == chunk->bytes->len)
			wf_test_chunk_free(g_queue_pop_head(self->queue));
	}
	*actual = done;
	return TRUE;
}

static gboolean
wf_test_script_discard_input(WfTransport *transport, GError **error)
{
	WfTestScript *self = WF_TEST_SCRIPT(transport);
	WfTestChunk *chunk;
	gint64 now = g_get_monotonic_time();

	self->n_discards++;
	/* only what has "arrived" can be discarded */
	while ((chunk = g_queue_peek_head(self->queue)) != NULL && chunk->ready_us <= now)
		wf_test_chunk_free(g_queue_pop_head(self->queue));
	return TRUE;
}

static const gchar *
wf_test_script_get_path(WfTransport *transport)
{
	return "script";
}

static void
wf_test_script_iface_init(WfTransportInterface *iface)
{
	iface->read = wf_test_script_read;
	iface->write = wf_test_script_write;
	iface->discard_input = wf_test_script_discard_input;
	iface->get_path = wf_test_script_get_path;
}

gboolean
wf_test_script_finish(WfTestScript *self, GError **error)
{
	WfTestStep *step;

	g_return_val_if_fail(WF_IS_TEST_SCRIPT(self), FALSE);
	if (self->mismatch != NULL) {
		g_set_error(error, WF_ERROR, WF_ERROR_INTERNAL, "%s", self->mismatch);
		return FALSE;
	}
	wf_test_script_advance(self);
	/* trailing "any number of" steps are satisfied by none */
	while ((step = wf_test_script_current(self)) != NULL &&
	       (step->kind == WF_TEST_STEP_EXPECT_REPEATED ||
		step->kind == WF_TEST_STEP_EXPECT_ANY) &&
	       self->expect_pos == 0)
		self->cursor++;
	if (self->cursor < self->steps->len) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INTERNAL,
			    "script stopped at step %u of %u (%" G_GSIZE_FORMAT
			    " bytes of it matched)",
			    self->cursor,
			    self->steps->len,
			    self->expect_pos);
		return FALSE;
	}
	if (wf_test_script_unread(self) > 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INTERNAL,
			    "%" G_GSIZE_FORMAT " reply bytes were never read",
			    wf_test_script_unread(self));
		return FALSE;
	}
	return TRUE;
}

gsize
wf_test_script_get_unread(WfTestScript *self)
{
	g_return_val_if_fail(WF_IS_TEST_SCRIPT(self), 0);
	return wf_test_script_unread(self);
}

gsize
wf_test_script_get_max_unread_at_write(WfTestScript *self)
{
	g_return_val_if_fail(WF_IS_TEST_SCRIPT(self), 0);
	return self->max_unread_at_write;
}

guint
wf_test_script_get_n_writes(WfTestScript *self)
{
	g_return_val_if_fail(WF_IS_TEST_SCRIPT(self), 0);
	return self->n_writes;
}

guint
wf_test_script_get_n_discards(WfTestScript *self)
{
	g_return_val_if_fail(WF_IS_TEST_SCRIPT(self), 0);
	return self->n_discards;
}

static void
wf_test_script_finalize(GObject *object)
{
	WfTestScript *self = WF_TEST_SCRIPT(object);

	g_ptr_array_unref(self->steps);
	g_queue_free_full(self->queue, (GDestroyNotify)wf_test_chunk_free);
	g_free(self->mismatch);
	G_OBJECT_CLASS(wf_test_script_parent_class)->finalize(object);
}

static void
wf_test_script_class_init(WfTestScriptClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_test_script_finalize;
}

static void
wf_test_script_init(WfTestScript *self)
{
	self->steps = g_ptr_array_new_with_free_func((GDestroyNotify)wf_test_step_free);
	self->queue = g_queue_new();
}

WfTestScript *
wf_test_script_new(void)
{
	return g_object_new(WF_TYPE_TEST_SCRIPT, NULL);
}

/* boot-ROM conversations (protocol.md §3.3), written out byte by byte */

static void
wf_test_put_u32(guint8 *buf, guint32 value)
{
	buf[0] = (guint8)(value >> 24);
	buf[1] = (guint8)(value >> 16);
	buf[2] = (guint8)(value >> 8);
	buf[3] = (guint8)value;
}

static void
wf_test_script_echo_header(WfTestScript *self, guint8 cmd, guint32 addr, guint32 count)
{
	guint8 hdr[9] = {cmd};

	wf_test_put_u32(hdr + 1, addr);
	wf_test_put_u32(hdr + 5, count);
	wf_test_script_expect_bytes(self, hdr, sizeof(hdr));
	wf_test_script_reply_bytes(self, hdr, sizeof(hdr));
}

void
wf_test_script_brom_read16_legacy(WfTestScript *self, guint32 addr, guint16 value)
{
	const guint8 data[2] = {value >> 8, value & 0xFF};

	wf_test_script_echo_header(self, 0xA2, addr, 1);
	wf_test_script_reply_bytes(self, data, sizeof(data));
}

void
wf_test_script_brom_read32(WfTestScript *self, guint32 addr, guint32 value)
{
	guint8 data[8] = {0};

	wf_test_script_echo_header(self, 0xD1, addr, 1);
	wf_test_put_u32(data + 2, value);
	wf_test_script_reply_bytes(self, data, sizeof(data));
}

void
wf_test_script_brom_write16(WfTestScript *self, guint32 addr, guint16 value)
{
	const guint8 ok[2] = {0x00, 0x01};
	const guint8 val[2] = {value >> 8, value & 0xFF};

	wf_test_script_echo_header(self, 0xD2, addr, 1);
	wf_test_script_reply_bytes(self, ok, sizeof(ok));
	wf_test_script_expect_bytes(self, val, sizeof(val));
	wf_test_script_reply_bytes(self, val, sizeof(val));
	wf_test_script_reply_bytes(self, ok, sizeof(ok));
}

void
wf_test_script_brom_write32(WfTestScript *self, guint32 addr, const guint32 *values, guint count)
{
	const guint8 ok[2] = {0x00, 0x01};

	wf_test_script_echo_header(self, 0xD4, addr, count);
	wf_test_script_reply_bytes(self, ok, sizeof(ok));
	for (guint i = 0; i < count; i++) {
		guint8 val[4];
		wf_test_put_u32(val, values[i]);
		wf_test_script_expect_bytes(self, val, sizeof(val));
		wf_test_script_reply_bytes(self, val, sizeof(val));
		wf_test_script_reply_bytes(self, ok, sizeof(ok));
	}
}

void
wf_test_script_brom_read_memory(WfTestScript *self, guint32 addr, const guint8 *mem, gsize len)
{
	g_autofree guint8 *reply = g_malloc(len + 4);

	g_assert_cmpuint(len % 4, ==, 0);
	wf_test_script_echo_header(self, 0xD1, addr, (guint32)(len / 4));
	reply[0] = 0;
	reply[1] = 0;
	/* each little-endian memory word travels big-endian */
	for (gsize i = 0; i < len; i += 4) {
		reply[2 + i] = mem[i + 3];
		reply[2 + i + 1] = mem[i + 2];
		reply[2 + i + 2] = mem[i + 1];
		reply[2 + i + 3] = mem[i];
	}
	reply[len + 2] = 0;
	reply[len + 3] = 0;
	wf_test_script_reply_bytes(self, reply, len + 4);
}

void
wf_test_script_assert_finished(WfTestScript *self)
{
	g_autoptr(GError) error = NULL;
	gboolean ok = wf_test_script_finish(self, &error);

	g_assert_no_error(error);
	g_assert_true(ok);
}

void
wf_test_script_brom_write32_one(WfTestScript *self, guint32 addr, guint32 value)
{
	wf_test_script_brom_write32(self, addr, &value, 1);
}
