/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-brom.h"

#include <string.h>

#include "wf-error.h"

/*
 * Host side of the MT6261 boot-ROM protocol (protocol.md §2–3). Choices that
 * are ours and not the chip's are in docs/protocol-notes.md.
 */

/* command bytes, protocol.md §3.2 */
#define WF_BROM_CMD_READ16_LEGACY     0xA2
#define WF_BROM_CMD_READ16	      0xD0
#define WF_BROM_CMD_READ32	      0xD1
#define WF_BROM_CMD_WRITE16	      0xD2
#define WF_BROM_CMD_WRITE32	      0xD4
#define WF_BROM_CMD_JUMP_DA	      0xD5
#define WF_BROM_CMD_SEND_DA	      0xD7
#define WF_BROM_CMD_GET_TARGET_CONFIG 0xD8
#define WF_BROM_CMD_GET_ME_ID	      0xE1
#define WF_BROM_CMD_GET_BL_VER	      0xFE
#define WF_BROM_CMD_GET_VERSION	      0xFF

/* registers, protocol.md §3.7 */
#define WF_BROM_REG_WDT_MODE	 0xA0030000
#define WF_BROM_REG_WDT_SWRST	 0xA003001C
#define WF_BROM_REG_EMI_REMAP	 0xA0510000
#define WF_BROM_REG_CHARGER_WDT	 0xA0700A24
#define WF_BROM_WDT_DISABLE	 0x2200
#define WF_BROM_WDT_SWRST_KEY	 0x1209
#define WF_BROM_CHARGER_WDT_LONG 0x0015
#define WF_BROM_REMAP_MASK	 0x3
#define WF_BROM_REMAP_FLASH_AT_0 0x2

/* statuses below this are success (§3.1); writes say 0x0001 */
#define WF_BROM_STATUS_ERROR_MIN 0x0100
#define WF_BROM_STATUS_WRITE_OK	 0x0001

/* After a bad echo the link is drained until it has been quiet this long,
 * so that the next command starts on a clean line. */
#define WF_BROM_DRAIN_SILENCE_MS 50
/* ... but never for longer than this, whatever the watch keeps sending */
#define WF_BROM_DRAIN_MAX_MS 2000
/* The slowest link we wait for when a transfer is large: 64 KiB/s, well
 * below USB full speed, so big writes get time in proportion to size */
#define WF_BROM_MIN_BYTES_PER_MS 64
/* SEND_DA payload goes out in writes of this size */
#define WF_BROM_SEND_DA_WRITE_SIZE (16 * 1024)
/* write values are sent ahead in batches of at most this many */
#define WF_BROM_WRITE_BATCH 64
/* how much of a mismatching byte string an error message shows */
#define WF_BROM_HEX_MAX 24
/* protocol.md §3.3 E1: the ME ID is 16 bytes */
#define WF_BROM_ME_ID_LEN 16

#define WF_BROM_UNPLUG_HINT                                                                        \
	"the boot ROM answers nothing more in this session: unplug the watch and plug it in "      \
	"again"

struct _WfBrom {
	GObject parent_instance;
	WfTransport *transport;
	guint timeout_ms;
	gchar *halted_reason; /* set after a fatal SEND_DA/JUMP_DA error */
};

G_DEFINE_FINAL_TYPE(WfBrom, wf_brom, G_TYPE_OBJECT)

static void
wf_brom_put_u32(guint8 *buf, guint32 value)
{
	buf[0] = (guint8)(value >> 24);
	buf[1] = (guint8)(value >> 16);
	buf[2] = (guint8)(value >> 8);
	buf[3] = (guint8)value;
}

static guint32
wf_brom_get_u32(const guint8 *buf)
{
	return ((guint32)buf[0] << 24) | ((guint32)buf[1] << 16) | ((guint32)buf[2] << 8) | buf[3];
}

static guint16
wf_brom_get_u16(const guint8 *buf)
{
	return (guint16)((buf[0] << 8) | buf[1]);
}

/* "D1 A0 51 00 00" for error messages, shortened when long */
static gchar *
wf_brom_hex(const guint8 *buf, gsize len)
{
	GString *str = g_string_new(NULL);

	for (gsize i = 0; i < len && i < WF_BROM_HEX_MAX; i++)
		g_string_append_printf(str, "%s%02X", i > 0 ? " " : "", buf[i]);
	if (len > WF_BROM_HEX_MAX)
		g_string_append(str, " …");
	if (len == 0)
		g_string_append(str, "nothing");
	return g_string_free(str, FALSE);
}

static guint
wf_brom_timeout_for_size(WfBrom *self, gsize len)
{
	return self->timeout_ms + (guint)MIN(len / WF_BROM_MIN_BYTES_PER_MS, G_MAXUINT / 2);
}

/*
 * Reads and drops input until the link has been quiet for a while, so that
 * a command that went wrong (bad echo, timeout, a pipelined request still in
 * flight) does not poison the next one.
 */
static void
wf_brom_drain(WfBrom *self)
{
	gint64 deadline_us = g_get_monotonic_time() + WF_BROM_DRAIN_MAX_MS * 1000;
	guint8 buf[4096];
	gsize total = 0;

	while (g_get_monotonic_time() < deadline_us) {
		gsize got = 0;
		if (!wf_transport_read(self->transport,
				       buf,
				       sizeof(buf),
				       &got,
				       WF_BROM_DRAIN_SILENCE_MS,
				       NULL,
				       NULL))
			break;
		total += got;
	}
	if (total > 0)
		g_debug("drained %" G_GSIZE_FORMAT " stray bytes", total);
}

static gboolean
wf_brom_check_alive(WfBrom *self, GError **error)
{
	if (self->halted_reason == NULL)
		return TRUE;
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_DEVICE_STATUS,
		    "%s; %s",
		    self->halted_reason,
		    WF_BROM_UNPLUG_HINT);
	return FALSE;
}

static void
wf_brom_halt(WfBrom *self, const gchar *reason)
{
	g_free(self->halted_reason);
	self->halted_reason = g_strdup(reason);
}

static gboolean
wf_brom_send(WfBrom *self,
	     const gchar *what,
	     const guint8 *buf,
	     gsize len,
	     GCancellable *cancellable,
	     GError **error)
{
	g_autoptr(GError) error_local = NULL;

	if (wf_transport_write(self->transport,
			       buf,
			       len,
			       wf_brom_timeout_for_size(self, len),
			       cancellable,
			       &error_local))
		return TRUE;
	if (error_local->domain == WF_ERROR)
		g_prefix_error(&error_local, "%s: ", what);
	g_propagate_error(error, g_steal_pointer(&error_local));
	return FALSE;
}

/*
 * Reads exactly @len bytes. The timeout is for silence, not for the whole
 * transfer: a 64 KiB reply keeps arriving for a while and that is fine.
 */
static gboolean
wf_brom_recv(WfBrom *self,
	     const gchar *what,
	     guint8 *buf,
	     gsize len,
	     GCancellable *cancellable,
	     GError **error)
{
	gsize done = 0;

	while (done < len) {
		g_autoptr(GError) error_local = NULL;
		gsize got = 0;

		if (wf_transport_read(self->transport,
				      buf + done,
				      len - done,
				      &got,
				      self->timeout_ms,
				      cancellable,
				      &error_local)) {
			done += got;
			continue;
		}
		if (g_error_matches(error_local, WF_ERROR, WF_ERROR_TIMED_OUT)) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_TIMED_OUT,
				    "%s: no answer from the watch for %u ms (%" G_GSIZE_FORMAT
				    " of %" G_GSIZE_FORMAT " bytes arrived)",
				    what,
				    self->timeout_ms,
				    done,
				    len);
			if (done > 0)
				wf_brom_drain(self);
			return FALSE;
		}
		if (error_local->domain == WF_ERROR)
			g_prefix_error(&error_local, "%s: ", what);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	return TRUE;
}

/* Compares what came back with what was sent; on a mismatch the line is
 * drained so the next command starts clean. */
static gboolean
wf_brom_expect_echo(WfBrom *self,
		    const gchar *name,
		    const guint8 *sent,
		    gsize len,
		    GCancellable *cancellable,
		    GError **error)
{
	guint8 echo[32];
	g_autofree gchar *what = g_strdup_printf("%s: waiting for the echo", name);
	g_autofree gchar *want = NULL;
	g_autofree gchar *got = NULL;

	g_assert(len <= sizeof(echo));
	if (!wf_brom_recv(self, what, echo, len, cancellable, error))
		return FALSE;
	if (memcmp(echo, sent, len) == 0)
		return TRUE;
	want = wf_brom_hex(sent, len);
	got = wf_brom_hex(echo, len);
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_PROTOCOL,
		    "%s: the watch echoed %s instead of %s",
		    name,
		    got,
		    want);
	wf_brom_drain(self);
	return FALSE;
}

/* command byte + big-endian u32 arguments, as one buffer */
static gsize
wf_brom_build_header(guint8 *buf, guint8 cmd, const guint32 *args, guint nargs)
{
	buf[0] = cmd;
	for (guint i = 0; i < nargs; i++)
		wf_brom_put_u32(buf + 1 + 4 * i, args[i]);
	return 1 + 4 * (gsize)nargs;
}

/*
 * Sends a command and its arguments in one write and then checks the echo:
 * one round trip instead of one per byte.
 */
static gboolean
wf_brom_command(WfBrom *self,
		const gchar *name,
		guint8 cmd,
		const guint32 *args,
		guint nargs,
		GCancellable *cancellable,
		GError **error)
{
	guint8 buf[1 + 4 * 4];
	gsize len;

	g_assert(nargs <= 4);
	if (!wf_brom_check_alive(self, error))
		return FALSE;
	len = wf_brom_build_header(buf, cmd, args, nargs);
	if (!wf_brom_send(self, name, buf, len, cancellable, error))
		return FALSE;
	return wf_brom_expect_echo(self, name, buf, len, cancellable, error);
}

static gboolean
wf_brom_read_status(
	WfBrom *self, const gchar *name, guint16 *status, GCancellable *cancellable, GError **error)
{
	g_autofree gchar *what = g_strdup_printf("%s: waiting for the status", name);
	guint8 buf[2];

	if (!wf_brom_recv(self, what, buf, sizeof(buf), cancellable, error))
		return FALSE;
	*status = wf_brom_get_u16(buf);
	return TRUE;
}

static gboolean
wf_brom_check_status(const gchar *name, guint16 status, GError **error)
{
	if (status < WF_BROM_STATUS_ERROR_MIN)
		return TRUE;
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_DEVICE_STATUS,
		    "%s failed with status 0x%04X: %s",
		    name,
		    status,
		    wf_brom_status_to_string(status));
	return FALSE;
}

static gboolean
wf_brom_expect_status(WfBrom *self, const gchar *name, GCancellable *cancellable, GError **error)
{
	guint16 status = 0;

	if (!wf_brom_read_status(self, name, &status, cancellable, error))
		return FALSE;
	return wf_brom_check_status(name, status, error);
}

/* ------------------------------------------------------------------------ */
/* handshake */

static const guint8 wf_brom_handshake_seq[] = {0xA0, 0x0A, 0x50, 0x05};
/* each byte's bitwise complement */
static const guint8 wf_brom_handshake_reply[] = {0x5F, 0xF5, 0xAF, 0xFA};

static void
wf_brom_set_handshake_error(GByteArray *garbage, guint timeout_ms, GError **error)
{
	g_autofree gchar *hex = NULL;

	if (garbage->len == 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_TIMED_OUT,
			    "no answer to the handshake within %u ms (is the watch switched off "
			    "and plugged in? its boot-ROM port is open for about a second)",
			    timeout_ms);
		return;
	}
	hex = wf_brom_hex(garbage->data, garbage->len);
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_PROTOCOL,
		    "no handshake within %u ms: the port answered %s where the boot ROM says "
		    "5F F5 AF FA (another program may be using it, or the watch booted normally)",
		    timeout_ms,
		    hex);
}

/* One byte of the handshake: send it, wait briefly for its reply. */
static gboolean
wf_brom_handshake_byte(WfBrom *self,
		       guint8 byte,
		       guint wait_ms,
		       gboolean *got_reply,
		       guint8 *reply,
		       GCancellable *cancellable,
		       GError **error)
{
	g_autoptr(GError) error_local = NULL;
	gsize got = 0;

	*got_reply = FALSE;
	if (!wf_transport_write(self->transport, &byte, 1, wait_ms, cancellable, &error_local)) {
		/* a port nobody reads yet fills up; that is "no answer" */
		if (g_error_matches(error_local, WF_ERROR, WF_ERROR_TIMED_OUT))
			return TRUE;
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	if (!wf_transport_read(
		    self->transport, reply, 1, &got, wait_ms, cancellable, &error_local)) {
		if (g_error_matches(error_local, WF_ERROR, WF_ERROR_TIMED_OUT))
			return TRUE;
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	*got_reply = TRUE;
	return TRUE;
}

/**
 * wf_brom_handshake:
 * @self: a #WfBrom
 * @timeout_ms: how long to keep trying in total
 * @result: (out) (optional): whether the handshake ran or had run before
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * Sends A0 0A 50 05 one byte at a time (protocol.md §2). A wrong reply
 * restarts with A0 until 5F comes back (the boot ROM answered b+1 and reset
 * its own index); an echoed A0 means the boot ROM is already in its command
 * loop. Each reply is waited for only %WF_BROM_HANDSHAKE_BYTE_TIMEOUT_MS, so
 * callers can repeat this while a port comes and goes.
 *
 * Returns: %TRUE when the boot ROM is in its command loop
 */
gboolean
wf_brom_handshake(WfBrom *self,
		  guint timeout_ms,
		  WfBromHandshakeResult *result,
		  GCancellable *cancellable,
		  GError **error)
{
	gint64 deadline_us = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	g_autoptr(GByteArray) garbage = g_byte_array_new();
	guint attempts = 0;
	guint idx = 0;

	g_return_val_if_fail(WF_IS_BROM(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	for (;;) {
		gint64 remaining_us = deadline_us - g_get_monotonic_time();
		guint8 byte = wf_brom_handshake_seq[idx];
		guint8 reply = 0;
		gboolean got_reply = FALSE;
		guint wait_ms;

		/* a sequence under way may finish past the deadline; and there
		 * is always at least one attempt */
		if (remaining_us <= 0 && idx == 0 && attempts > 0)
			break;
		wait_ms = idx > 0 ? WF_BROM_HANDSHAKE_BYTE_TIMEOUT_MS
				  : (guint)CLAMP(remaining_us / 1000,
						 1,
						 WF_BROM_HANDSHAKE_BYTE_TIMEOUT_MS);
		attempts++;
		if (!wf_brom_handshake_byte(
			    self, byte, wait_ms, &got_reply, &reply, cancellable, error))
			return FALSE;
		if (!got_reply) {
			idx = 0;
			continue;
		}
		if (reply == wf_brom_handshake_reply[idx]) {
			if (++idx < G_N_ELEMENTS(wf_brom_handshake_seq))
				continue;
			g_clear_pointer(&self->halted_reason, g_free);
			if (result != NULL)
				*result = WF_BROM_HANDSHAKE_DONE;
			return TRUE;
		}
		if (idx == 0 && reply == 0xA0) {
			if (result != NULL)
				*result = WF_BROM_HANDSHAKE_ALREADY_DONE;
			return TRUE;
		}
		/* the boot ROM answered b+1 and went back to its first byte;
		 * anything else queued up is stale */
		if (garbage->len < WF_BROM_HEX_MAX)
			g_byte_array_append(garbage, &reply, 1);
		wf_transport_discard_input(self->transport, NULL);
		idx = 0;
	}
	wf_brom_set_handshake_error(garbage, timeout_ms, error);
	return FALSE;
}

/* ------------------------------------------------------------------------ */
/* reads */

/**
 * wf_brom_read16_legacy:
 * @self: a #WfBrom
 * @addr: an even address
 * @words: (out): @count words in host order
 * @count: how many 16-bit words
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * A2: the read every MT626x client identifies the chip with. It has no status
 * words, so a refused read shows up only as silence.
 */
gboolean
wf_brom_read16_legacy(WfBrom *self,
		      guint32 addr,
		      guint16 *words,
		      guint32 count,
		      GCancellable *cancellable,
		      GError **error)
{
	const guint32 args[] = {addr, count};
	g_autofree gchar *name = NULL;
	g_autofree gchar *what = NULL;
	g_autofree guint8 *buf = NULL;

	g_return_val_if_fail(WF_IS_BROM(self), FALSE);
	g_return_val_if_fail(words != NULL && count > 0, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	name = g_strdup_printf("A2 READ16 (legacy) of %u words at 0x%08X", count, addr);
	if (!wf_brom_command(self, name, WF_BROM_CMD_READ16_LEGACY, args, 2, cancellable, error))
		return FALSE;
	what = g_strdup_printf("%s: waiting for the data (the boot ROM sends nothing for odd "
			       "or protected addresses)",
			       name);
	buf = g_malloc((gsize)count * 2);
	if (!wf_brom_recv(self, what, buf, (gsize)count * 2, cancellable, error))
		return FALSE;
	for (guint32 i = 0; i < count; i++)
		words[i] = wf_brom_get_u16(buf + 2 * i);
	return TRUE;
}

/* status, data, status: the body of every D0/D1 reply */
static gboolean
wf_brom_read_body(WfBrom *self,
		  const gchar *name,
		  guint8 *data,
		  gsize len,
		  GCancellable *cancellable,
		  GError **error)
{
	g_autofree gchar *what = g_strdup_printf("%s: waiting for the data", name);

	if (!wf_brom_expect_status(self, name, cancellable, error))
		return FALSE;
	if (!wf_brom_recv(self, what, data, len, cancellable, error))
		return FALSE;
	return wf_brom_expect_status(self, name, cancellable, error);
}

/*
 * D0/D1 with @count words of @width bytes: command, status, data, status.
 * Returns the raw big-endian bytes for the caller to unpack, or %NULL.
 */
static guint8 *
wf_brom_read_words(WfBrom *self,
		   const gchar *name,
		   guint8 cmd,
		   guint32 addr,
		   guint32 count,
		   guint width,
		   GCancellable *cancellable,
		   GError **error)
{
	const guint32 args[] = {addr, count};
	g_autofree guint8 *buf = NULL;

	if (!wf_brom_command(self, name, cmd, args, 2, cancellable, error))
		return NULL;
	buf = g_malloc((gsize)count * width);
	if (!wf_brom_read_body(self, name, buf, (gsize)count * width, cancellable, error))
		return NULL;
	return g_steal_pointer(&buf);
}

/**
 * wf_brom_read16:
 * @self: a #WfBrom
 * @addr: an even address
 * @words: (out): @count words in host order
 * @count: how many 16-bit words
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * D0 READ16.
 */
gboolean
wf_brom_read16(WfBrom *self,
	       guint32 addr,
	       guint16 *words,
	       guint32 count,
	       GCancellable *cancellable,
	       GError **error)
{
	g_autofree gchar *name = NULL;
	g_autofree guint8 *buf = NULL;

	g_return_val_if_fail(WF_IS_BROM(self), FALSE);
	g_return_val_if_fail(words != NULL && count > 0, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	name = g_strdup_printf("D0 READ16 of %u words at 0x%08X", count, addr);
	buf = wf_brom_read_words(
		self, name, WF_BROM_CMD_READ16, addr, count, 2, cancellable, error);
	if (buf == NULL)
		return FALSE;
	for (guint32 i = 0; i < count; i++)
		words[i] = wf_brom_get_u16(buf + 2 * i);
	return TRUE;
}

/**
 * wf_brom_read32:
 * @self: a #WfBrom
 * @addr: a 4-aligned address
 * @words: (out): @count words in host order
 * @count: how many 32-bit words
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * D1 READ32.
 */
gboolean
wf_brom_read32(WfBrom *self,
	       guint32 addr,
	       guint32 *words,
	       guint32 count,
	       GCancellable *cancellable,
	       GError **error)
{
	g_autofree gchar *name = NULL;
	g_autofree guint8 *buf = NULL;

	g_return_val_if_fail(WF_IS_BROM(self), FALSE);
	g_return_val_if_fail(words != NULL && count > 0, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	name = g_strdup_printf("D1 READ32 of %u words at 0x%08X", count, addr);
	buf = wf_brom_read_words(
		self, name, WF_BROM_CMD_READ32, addr, count, 4, cancellable, error);
	if (buf == NULL)
		return FALSE;
	for (guint32 i = 0; i < count; i++)
		words[i] = wf_brom_get_u32(buf + 4 * i);
	return TRUE;
}

/* READ32 renders each little-endian memory word big-endian (§3.1) */
static void
wf_brom_swap_words(guint8 *buf, gsize len)
{
	for (gsize i = 0; i + 4 <= len; i += 4) {
		guint8 tmp = buf[i];
		buf[i] = buf[i + 3];
		buf[i + 3] = tmp;
		tmp = buf[i + 1];
		buf[i + 1] = buf[i + 2];
		buf[i + 2] = tmp;
	}
}

typedef struct {
	guint32 addr;
	gsize len;
	guint8 header[9];
} WfBromReadChunk;

static void
wf_brom_read_chunk_init(WfBromReadChunk *chunk, guint32 addr, gsize len)
{
	const guint32 args[] = {addr, (guint32)(len / 4)};

	chunk->addr = addr;
	chunk->len = len;
	wf_brom_build_header(chunk->header, WF_BROM_CMD_READ32, args, 2);
}

static gboolean
wf_brom_read_chunk_finish(WfBrom *self,
			  const WfBromReadChunk *chunk,
			  guint8 *buf,
			  GCancellable *cancellable,
			  GError **error)
{
	g_autofree gchar *name = g_strdup_printf(
		"D1 READ32 of %" G_GSIZE_FORMAT " bytes at 0x%08X", chunk->len, chunk->addr);

	if (!wf_brom_expect_echo(
		    self, name, chunk->header, sizeof(chunk->header), cancellable, error))
		return FALSE;
	if (!wf_brom_read_body(self, name, buf, chunk->len, cancellable, error))
		return FALSE;
	wf_brom_swap_words(buf, chunk->len);
	return TRUE;
}

/**
 * wf_brom_read_memory:
 * @self: a #WfBrom
 * @addr: a 4-aligned address
 * @buf: (out): @len bytes in memory order
 * @len: a multiple of 4
 * @chunk_size: bytes per D1 command, a multiple of 4; 0 for the default
 * @depth: D1 commands on the wire at once; 0 for the default
 * @progress_cb: (nullable): called after every chunk
 * @progress_data: data for @progress_cb
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * Reads memory through D1 READ32 with every word swapped back to memory
 * order. The request for chunk k+1 goes out before the data of chunk k is
 * read, so the echo round trip of one command overlaps the data of another.
 */
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
		    GError **error)
{
	g_autofree WfBromReadChunk *chunks = NULL;
	gsize n_chunks;
	gsize sent = 0;

	g_return_val_if_fail(WF_IS_BROM(self), FALSE);
	g_return_val_if_fail(buf != NULL || len == 0, FALSE);
	g_return_val_if_fail(addr % 4 == 0 && len % 4 == 0, FALSE);
	g_return_val_if_fail(chunk_size % 4 == 0, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (len == 0)
		return TRUE;
	if ((guint64)addr + len > (guint64)G_MAXUINT32 + 1) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "cannot read %" G_GSIZE_FORMAT " bytes at 0x%08X: past the end of "
			    "the address space",
			    len,
			    addr);
		return FALSE;
	}
	if (!wf_brom_check_alive(self, error))
		return FALSE;
	if (chunk_size == 0)
		chunk_size = WF_BROM_DEFAULT_CHUNK_SIZE;
	if (depth == 0)
		depth = WF_BROM_DEFAULT_DEPTH;
	depth = MIN(depth, WF_BROM_MAX_DEPTH);

	n_chunks = (len + chunk_size - 1) / chunk_size;
	chunks = g_new0(WfBromReadChunk, n_chunks);
	for (gsize i = 0; i < n_chunks; i++) {
		gsize off = i * chunk_size;
		wf_brom_read_chunk_init(
			&chunks[i], addr + (guint32)off, MIN(chunk_size, len - off));
	}
	for (gsize k = 0; k < n_chunks; k++) {
		/* keep the pipe full: up to @depth requests ahead of the reader */
		while (sent < n_chunks && sent - k < depth) {
			if (!wf_brom_send(self,
					  "D1 READ32",
					  chunks[sent].header,
					  sizeof(chunks[sent].header),
					  cancellable,
					  error)) {
				if (sent > k)
					wf_brom_drain(self);
				return FALSE;
			}
			sent++;
		}
		if (!wf_brom_read_chunk_finish(
			    self, &chunks[k], buf + k * chunk_size, cancellable, error)) {
			/* requests still queued would answer into the next command */
			if (sent > k + 1)
				wf_brom_drain(self);
			return FALSE;
		}
		if (progress_cb != NULL)
			progress_cb(k * chunk_size + chunks[k].len, len, progress_data);
	}
	return TRUE;
}

/* ------------------------------------------------------------------------ */
/* writes */

static void
wf_brom_put_value(guint8 *buf, guint32 value, guint width)
{
	if (width == 2) {
		buf[0] = (guint8)(value >> 8);
		buf[1] = (guint8)value;
	} else {
		wf_brom_put_u32(buf, value);
	}
}

/* each value: its echo, then a status word (§3.3 D2/D4) */
static gboolean
wf_brom_write_check_value(WfBrom *self,
			  const gchar *name,
			  const guint8 *value,
			  guint width,
			  guint32 idx,
			  GCancellable *cancellable,
			  GError **error)
{
	g_autofree gchar *vname = g_strdup_printf("%s, value %u", name, idx);
	guint16 status = 0;

	if (!wf_brom_expect_echo(self, vname, value, width, cancellable, error))
		return FALSE;
	if (!wf_brom_read_status(self, vname, &status, cancellable, error))
		return FALSE;
	if (!wf_brom_check_status(vname, status, error))
		return FALSE;
	if (status != WF_BROM_STATUS_WRITE_OK)
		g_debug("%s: status 0x%04X (masked write range)", vname, status);
	return TRUE;
}

/*
 * D2/D4. The values of a batch go out in one write and their echoes and
 * statuses are checked afterwards; the boot ROM reads them from its USB
 * buffer one by one, so nothing is lost and the round trips overlap.
 */
static gboolean
wf_brom_write_values(WfBrom *self,
		     const gchar *name,
		     guint8 cmd,
		     guint32 addr,
		     const guint32 *values,
		     guint32 count,
		     guint width,
		     GCancellable *cancellable,
		     GError **error)
{
	const guint32 args[] = {addr, count};
	guint16 status = 0;

	if (!wf_brom_command(self, name, cmd, args, 2, cancellable, error))
		return FALSE;
	if (!wf_brom_read_status(self, name, &status, cancellable, error))
		return FALSE;
	if (!wf_brom_check_status(name, status, error))
		return FALSE;
	if (status != WF_BROM_STATUS_WRITE_OK)
		g_debug("%s: permission status 0x%04X (values will be masked)", name, status);

	for (guint32 first = 0; first < count; first += WF_BROM_WRITE_BATCH) {
		guint32 n = MIN(count - first, WF_BROM_WRITE_BATCH);
		guint8 batch[WF_BROM_WRITE_BATCH * 4];

		for (guint32 i = 0; i < n; i++)
			wf_brom_put_value(batch + i * width, values[first + i], width);
		if (!wf_brom_send(self, name, batch, (gsize)n * width, cancellable, error))
			return FALSE;
		for (guint32 i = 0; i < n; i++) {
			if (!wf_brom_write_check_value(self,
						       name,
						       batch + i * width,
						       width,
						       first + i,
						       cancellable,
						       error)) {
				if (i + 1 < n)
					wf_brom_drain(self);
				return FALSE;
			}
		}
	}
	return TRUE;
}

/**
 * wf_brom_write16:
 * @self: a #WfBrom
 * @addr: an even address
 * @words: @count values
 * @count: how many 16-bit words
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * D2 WRITE16, every value echo-checked.
 */
gboolean
wf_brom_write16(WfBrom *self,
		guint32 addr,
		const guint16 *words,
		guint32 count,
		GCancellable *cancellable,
		GError **error)
{
	g_autofree gchar *name = NULL;
	g_autofree guint32 *values = NULL;

	g_return_val_if_fail(WF_IS_BROM(self), FALSE);
	g_return_val_if_fail(words != NULL && count > 0, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	values = g_new(guint32, count);
	for (guint32 i = 0; i < count; i++)
		values[i] = words[i];
	name = g_strdup_printf("D2 WRITE16 of %u words at 0x%08X", count, addr);
	return wf_brom_write_values(
		self, name, WF_BROM_CMD_WRITE16, addr, values, count, 2, cancellable, error);
}

/**
 * wf_brom_write32:
 * @self: a #WfBrom
 * @addr: a 4-aligned address
 * @words: @count values
 * @count: how many 32-bit words
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * D4 WRITE32, every value echo-checked.
 */
gboolean
wf_brom_write32(WfBrom *self,
		guint32 addr,
		const guint32 *words,
		guint32 count,
		GCancellable *cancellable,
		GError **error)
{
	g_autofree gchar *name = NULL;

	g_return_val_if_fail(WF_IS_BROM(self), FALSE);
	g_return_val_if_fail(words != NULL && count > 0, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	name = g_strdup_printf("D4 WRITE32 of %u words at 0x%08X", count, addr);
	return wf_brom_write_values(
		self, name, WF_BROM_CMD_WRITE32, addr, words, count, 4, cancellable, error);
}

/* ------------------------------------------------------------------------ */
/* one-byte queries */

/*
 * A bare command byte answered by one byte. Nothing is echo-checked: for FF
 * there is no echo, and FE's answer *is* the echo on a boot ROM.
 */
static gboolean
wf_brom_query_byte(WfBrom *self,
		   const gchar *name,
		   guint8 cmd,
		   guint8 *answer,
		   GCancellable *cancellable,
		   GError **error)
{
	if (!wf_brom_check_alive(self, error))
		return FALSE;
	if (!wf_brom_send(self, name, &cmd, 1, cancellable, error))
		return FALSE;
	return wf_brom_recv(self, name, answer, 1, cancellable, error);
}

/**
 * wf_brom_get_version:
 * @self: a #WfBrom
 * @version: (out): the boot-ROM version (0x05 on MT6261)
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * FF GET_VERSION, the only command that is not echoed.
 */
gboolean
wf_brom_get_version(WfBrom *self, guint8 *version, GCancellable *cancellable, GError **error)
{
	g_return_val_if_fail(WF_IS_BROM(self), FALSE);
	g_return_val_if_fail(version != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	return wf_brom_query_byte(
		self, "FF GET_VERSION", WF_BROM_CMD_GET_VERSION, version, cancellable, error);
}

/**
 * wf_brom_get_bl_version:
 * @self: a #WfBrom
 * @version: (out): 0xFE from a boot ROM (an echo), a version from a preloader
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * FE GET_BL_VER: the boot ROM only echoes it, which is how a host tells it
 * from a preloader.
 */
gboolean
wf_brom_get_bl_version(WfBrom *self, guint8 *version, GCancellable *cancellable, GError **error)
{
	g_return_val_if_fail(WF_IS_BROM(self), FALSE);
	g_return_val_if_fail(version != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	return wf_brom_query_byte(
		self, "FE GET_BL_VER", WF_BROM_CMD_GET_BL_VER, version, cancellable, error);
}

/**
 * wf_brom_get_target_config:
 * @self: a #WfBrom
 * @config: (out): bit0 SBC, bit1 SLA, bit2 DAA
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * D8 GET_TARGET_CONFIG.
 */
gboolean
wf_brom_get_target_config(WfBrom *self, guint32 *config, GCancellable *cancellable, GError **error)
{
	const gchar *name = "D8 GET_TARGET_CONFIG";
	guint8 buf[4];

	g_return_val_if_fail(WF_IS_BROM(self), FALSE);
	g_return_val_if_fail(config != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!wf_brom_command(
		    self, name, WF_BROM_CMD_GET_TARGET_CONFIG, NULL, 0, cancellable, error))
		return FALSE;
	if (!wf_brom_recv(self, name, buf, sizeof(buf), cancellable, error))
		return FALSE;
	if (!wf_brom_expect_status(self, name, cancellable, error))
		return FALSE;
	*config = wf_brom_get_u32(buf);
	return TRUE;
}

/**
 * wf_brom_get_me_id:
 * @self: a #WfBrom
 * @me_id: (out): the chip's 16-byte ME ID
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * E1 GET_ME_ID.
 */
gboolean
wf_brom_get_me_id(WfBrom *self, guint8 me_id[16], GCancellable *cancellable, GError **error)
{
	const gchar *name = "E1 GET_ME_ID";
	guint8 buf[4];
	guint32 len;

	g_return_val_if_fail(WF_IS_BROM(self), FALSE);
	g_return_val_if_fail(me_id != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!wf_brom_command(self, name, WF_BROM_CMD_GET_ME_ID, NULL, 0, cancellable, error))
		return FALSE;
	if (!wf_brom_recv(self, name, buf, sizeof(buf), cancellable, error))
		return FALSE;
	len = wf_brom_get_u32(buf);
	if (len != WF_BROM_ME_ID_LEN) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_PROTOCOL,
			    "%s: the watch announced %u bytes, expected %u",
			    name,
			    len,
			    (guint)WF_BROM_ME_ID_LEN);
		wf_brom_drain(self);
		return FALSE;
	}
	if (!wf_brom_recv(self, name, me_id, WF_BROM_ME_ID_LEN, cancellable, error))
		return FALSE;
	return wf_brom_expect_status(self, name, cancellable, error);
}

/* ------------------------------------------------------------------------ */
/* Download Agent */

/* A failed SEND_DA/JUMP_DA ends the session for good (§3.1). */
static gboolean
wf_brom_check_fatal_status(WfBrom *self, const gchar *name, guint16 status, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	if (wf_brom_check_status(name, status, &error_local))
		return TRUE;
	wf_brom_halt(self, error_local->message);
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_DEVICE_STATUS,
		    "%s; %s",
		    error_local->message,
		    WF_BROM_UNPLUG_HINT);
	return FALSE;
}

static gboolean
wf_brom_send_da_payload(WfBrom *self,
			const gchar *name,
			const guint8 *data,
			gsize len,
			GCancellable *cancellable,
			GError **error)
{
	for (gsize off = 0; off < len; off += WF_BROM_SEND_DA_WRITE_SIZE) {
		gsize n = MIN(len - off, WF_BROM_SEND_DA_WRITE_SIZE);
		if (!wf_brom_send(self, name, data + off, n, cancellable, error))
			return FALSE;
	}
	return TRUE;
}

/**
 * wf_brom_send_da:
 * @self: a #WfBrom
 * @load_addr: where the boot ROM stores the bytes (even)
 * @data: the DA stage, signature tail included
 * @len: bytes in @data
 * @sig_len: bytes at the end that are a signature; less than @len
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * D7 SEND_DA, checking the boot ROM's XOR16 against our own. Arguments the
 * boot ROM would reject are refused here first, because its rejection ends
 * the session.
 */
gboolean
wf_brom_send_da(WfBrom *self,
		guint32 load_addr,
		const guint8 *data,
		gsize len,
		guint32 sig_len,
		GCancellable *cancellable,
		GError **error)
{
	g_autofree gchar *name = NULL;
	guint32 args[3];
	guint16 status = 0;
	guint16 ours;
	guint16 theirs;
	guint8 buf[2];

	g_return_val_if_fail(WF_IS_BROM(self), FALSE);
	g_return_val_if_fail(data != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	name = g_strdup_printf("D7 SEND_DA of %" G_GSIZE_FORMAT " bytes to 0x%08X", len, load_addr);
	if (len == 0 || len > G_MAXUINT32 || len <= sig_len || load_addr % 2 != 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "%s: refusing to send: the length must be above the signature length "
			    "(%u) and the address even",
			    name,
			    sig_len);
		return FALSE;
	}
	args[0] = load_addr;
	args[1] = (guint32)len;
	args[2] = sig_len;
	if (!wf_brom_command(self, name, WF_BROM_CMD_SEND_DA, args, 3, cancellable, error))
		return FALSE;
	if (!wf_brom_read_status(self, name, &status, cancellable, error))
		return FALSE;
	if (!wf_brom_check_fatal_status(self, name, status, error))
		return FALSE;
	if (!wf_brom_send_da_payload(self, name, data, len, cancellable, error))
		return FALSE;
	if (!wf_brom_recv(self, name, buf, sizeof(buf), cancellable, error))
		return FALSE;
	theirs = wf_brom_get_u16(buf);
	if (!wf_brom_read_status(self, name, &status, cancellable, error))
		return FALSE;
	if (!wf_brom_check_fatal_status(self, name, status, error))
		return FALSE;
	ours = wf_brom_xor16(data, len);
	if (theirs != ours) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_VERIFY_FAILED,
			    "%s: the watch computed checksum 0x%04X but the data has 0x%04X: the "
			    "Download Agent arrived damaged; unplug the watch and plug it in again",
			    name,
			    theirs,
			    ours);
		return FALSE;
	}
	return TRUE;
}

/**
 * wf_brom_jump_da:
 * @self: a #WfBrom
 * @addr: an address inside a block sent with wf_brom_send_da()
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * D5 JUMP_DA. After success the next bytes come from the Download Agent.
 */
gboolean
wf_brom_jump_da(WfBrom *self, guint32 addr, GCancellable *cancellable, GError **error)
{
	g_autofree gchar *name = NULL;
	guint16 status = 0;

	g_return_val_if_fail(WF_IS_BROM(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	name = g_strdup_printf("D5 JUMP_DA to 0x%08X", addr);
	if (!wf_brom_command(self, name, WF_BROM_CMD_JUMP_DA, &addr, 1, cancellable, error))
		return FALSE;
	if (!wf_brom_read_status(self, name, &status, cancellable, error))
		return FALSE;
	return wf_brom_check_fatal_status(self, name, status, error);
}

/* ------------------------------------------------------------------------ */
/* session steps */

static gboolean
wf_brom_write16_one(
	WfBrom *self, guint32 addr, guint16 value, GCancellable *cancellable, GError **error)
{
	return wf_brom_write16(self, addr, &value, 1, cancellable, error);
}

/**
 * wf_brom_disable_watchdog:
 * @self: a #WfBrom
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * WDT_MODE = 0x2200: key 0x22 with the enable bit clear.
 */
gboolean
wf_brom_disable_watchdog(WfBrom *self, GCancellable *cancellable, GError **error)
{
	g_return_val_if_fail(WF_IS_BROM(self), FALSE);
	return wf_brom_write16_one(
		self, WF_BROM_REG_WDT_MODE, WF_BROM_WDT_DISABLE, cancellable, error);
}

/**
 * wf_brom_extend_charger_wdt:
 * @self: a #WfBrom
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * Sets the PMU charger watchdog to its minute level, as SP Flash Tool does.
 */
gboolean
wf_brom_extend_charger_wdt(WfBrom *self, GCancellable *cancellable, GError **error)
{
	g_return_val_if_fail(WF_IS_BROM(self), FALSE);
	return wf_brom_write16_one(
		self, WF_BROM_REG_CHARGER_WDT, WF_BROM_CHARGER_WDT_LONG, cancellable, error);
}

/**
 * wf_brom_remap_flash:
 * @self: a #WfBrom
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * Sets the EMI remap field (bits 0–1) to 2: serial flash at 0x00000000,
 * PSRAM at 0x10000000 (protocol.md §3.7–3.9). The field is replaced rather
 * than OR-ed, because OR-ing 2 into a 3 would leave the flash at 0x10000000.
 */
gboolean
wf_brom_remap_flash(WfBrom *self, GCancellable *cancellable, GError **error)
{
	guint32 value = 0;

	g_return_val_if_fail(WF_IS_BROM(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!wf_brom_read32(self, WF_BROM_REG_EMI_REMAP, &value, 1, cancellable, error))
		return FALSE;
	value = (value & ~(guint32)WF_BROM_REMAP_MASK) | WF_BROM_REMAP_FLASH_AT_0;
	return wf_brom_write32(self, WF_BROM_REG_EMI_REMAP, &value, 1, cancellable, error);
}

/**
 * wf_brom_reset:
 * @self: a #WfBrom
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * Resets the chip through WDT_SWRST. The reset may take the port away before
 * the value's echo arrives; that counts as success.
 */
gboolean
wf_brom_reset(WfBrom *self, GCancellable *cancellable, GError **error)
{
	const guint32 args[] = {WF_BROM_REG_WDT_SWRST, 1};
	const gchar *name = "D2 WRITE16 of the reset key to 0xA003001C";
	const guint8 value[2] = {WF_BROM_WDT_SWRST_KEY >> 8, WF_BROM_WDT_SWRST_KEY & 0xFF};
	g_autoptr(GError) error_local = NULL;
	guint8 reply[4];

	g_return_val_if_fail(WF_IS_BROM(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!wf_brom_command(self, name, WF_BROM_CMD_WRITE16, args, 2, cancellable, error))
		return FALSE;
	if (!wf_brom_expect_status(self, name, cancellable, error))
		return FALSE;
	if (!wf_brom_send(self, name, value, sizeof(value), cancellable, &error_local) ||
	    !wf_brom_recv(self, name, reply, sizeof(reply), cancellable, &error_local)) {
		if (g_error_matches(error_local, WF_ERROR, WF_ERROR_DEVICE_LOST) ||
		    g_error_matches(error_local, WF_ERROR, WF_ERROR_TIMED_OUT)) {
			g_debug("reset: the port went quiet as expected (%s)",
				error_local->message);
			return TRUE;
		}
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	if (memcmp(reply, value, sizeof(value)) != 0) {
		g_autofree gchar *got = wf_brom_hex(reply, 2);
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_PROTOCOL,
			    "%s: the watch echoed %s instead of 12 09",
			    name,
			    got);
		wf_brom_drain(self);
		return FALSE;
	}
	return wf_brom_check_status(name, wf_brom_get_u16(reply + 2), error);
}

/* ------------------------------------------------------------------------ */
/* helpers */

/**
 * wf_brom_xor16:
 * @data: bytes
 * @len: how many
 *
 * The SEND_DA checksum: XOR of all little-endian 16-bit words; an odd last
 * byte is XOR-ed in as a low byte.
 *
 * Returns: the checksum
 */
guint16
wf_brom_xor16(const guint8 *data, gsize len)
{
	guint16 sum = 0;
	gsize i;

	g_return_val_if_fail(data != NULL || len == 0, 0);
	for (i = 0; i + 1 < len; i += 2)
		sum ^= (guint16)(data[i] | (data[i + 1] << 8));
	if (i < len)
		sum ^= data[i];
	return sum;
}

/**
 * wf_brom_status_to_string:
 * @status: a boot-ROM status word
 *
 * Returns: what the status means, in plain words (protocol.md §3.4)
 */
const gchar *
wf_brom_status_to_string(guint16 status)
{
	switch (status) {
	case 0x0000:
		return "success";
	case 0x0001:
		return "success (write with full permission)";
	case 0x1D00:
		return "the boot ROM refuses a 16-bit write to an odd address";
	case 0x1D01:
		return "the boot ROM refuses a 32-bit write to an address that is not a multiple "
		       "of 4";
	case 0x1D02:
		return "the boot ROM refuses to write to this address range (protected)";
	case 0x1D03:
		return "the write would overwrite a Download Agent block already loaded";
	case 0x1D04:
		return "the boot ROM refuses to write to this address range (second range check)";
	case 0x1D05:
		return "a write of zero words was asked for";
	case 0x1D06:
		return "the boot ROM refuses a 16-bit read from an odd address";
	case 0x1D07:
		return "the boot ROM refuses a 32-bit read from an address that is not a multiple "
		       "of 4";
	case 0x1D08:
		return "the boot ROM refuses to read this address range (protected)";
	case 0x1D09:
		return "a read of zero words was asked for";
	case 0x1D0A:
		return "the boot ROM refuses to read this address range (second range check)";
	case 0x1D0D:
		return "the watch requires secure (SLA) authentication, which Wristflash cannot do";
	case 0x1D0E:
		return "the Download Agent overlaps a block loaded earlier";
	case 0x1D0F:
		return "the jump address is not inside a loaded Download Agent";
	case 0x1D10:
		return "too many Download Agent blocks (the boot ROM keeps at most 10)";
	case 0x1D11:
		return "the Download Agent load address is odd";
	case 0x1D12:
		return "the boot ROM refuses to load a Download Agent into this address range "
		       "(protected)";
	case 0x1D13:
		return "the Download Agent is empty";
	case 0x1D14:
		return "the Download Agent is not longer than its signature";
	case 0x1D15:
		return "the watch requires a signed Download Agent (DAA is on)";
	case 0x1D16:
		return "no Download Agent has been loaded to jump to";
	case 0x1D18:
		return "too many words to write in one command";
	case 0x1D19:
		return "too many words to read in one command";
	case 0x7017:
		return "security error: the Download Agent failed authentication (DAA)";
	case 0x7028:
		return "the requested UART baud rate is out of range";
	case 0x703A:
		return "the boot ROM does not support this command";
	default:
		break;
	}
	if (status > 0x7017 && status < 0x7028)
		return "security error reported by the boot ROM";
	if (status < WF_BROM_STATUS_ERROR_MIN)
		return "success";
	return "unknown error";
}

/* ------------------------------------------------------------------------ */
/* object */

static void
wf_brom_finalize(GObject *object)
{
	WfBrom *self = WF_BROM(object);

	g_clear_object(&self->transport);
	g_free(self->halted_reason);
	G_OBJECT_CLASS(wf_brom_parent_class)->finalize(object);
}

static void
wf_brom_class_init(WfBromClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_brom_finalize;
}

static void
wf_brom_init(WfBrom *self)
{
	self->timeout_ms = WF_BROM_DEFAULT_TIMEOUT_MS;
}

/**
 * wf_brom_new:
 * @transport: an open link to the watch
 *
 * Returns: (transfer full): a #WfBrom holding a reference to @transport
 */
WfBrom *
wf_brom_new(WfTransport *transport)
{
	WfBrom *self;

	g_return_val_if_fail(WF_IS_TRANSPORT(transport), NULL);
	self = g_object_new(WF_TYPE_BROM, NULL);
	self->transport = g_object_ref(transport);
	return self;
}

/**
 * wf_brom_get_transport:
 * @self: a #WfBrom
 *
 * Returns: (transfer none): the link
 */
WfTransport *
wf_brom_get_transport(WfBrom *self)
{
	g_return_val_if_fail(WF_IS_BROM(self), NULL);
	return self->transport;
}

/**
 * wf_brom_set_timeout:
 * @self: a #WfBrom
 * @timeout_ms: how long a reply may stay silent
 */
void
wf_brom_set_timeout(WfBrom *self, guint timeout_ms)
{
	g_return_if_fail(WF_IS_BROM(self));
	g_return_if_fail(timeout_ms > 0);
	self->timeout_ms = timeout_ms;
}

guint
wf_brom_get_timeout(WfBrom *self)
{
	g_return_val_if_fail(WF_IS_BROM(self), 0);
	return self->timeout_ms;
}

gboolean
wf_brom_is_halted(WfBrom *self)
{
	g_return_val_if_fail(WF_IS_BROM(self), FALSE);
	return self->halted_reason != NULL;
}
