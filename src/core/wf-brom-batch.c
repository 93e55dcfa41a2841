/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-brom-batch.h"

#include <string.h>

#include "wf-error.h"

/*
 * Framing as protocol.md §3.1/§3.3 gives it, written for pipelining:
 *   D1 addr count  → echo(9) status(2) data(4·count) status(2)
 *   D4 addr count  → echo(9) status(2), then per value: echo(4) status(2)
 * The boot ROM reads host bytes from its USB buffer one command at a time, so
 * a whole batch can be written before the first echo is looked at.
 */

#define WF_BROM_BATCH_CMD_READ32  0xD1
#define WF_BROM_BATCH_CMD_WRITE32 0xD4
#define WF_BROM_BATCH_HEADER_LEN  9
/* statuses below this are success (§3.1) */
#define WF_BROM_BATCH_STATUS_ERROR_MIN 0x0100
/* after a failure, input is dropped until the line is this quiet ... */
#define WF_BROM_BATCH_DRAIN_SILENCE_MS 50
/* ... but never for longer than this */
#define WF_BROM_BATCH_DRAIN_MAX_MS 2000
/* the slowest link a large write is given time for: 64 KiB/s */
#define WF_BROM_BATCH_MIN_BYTES_PER_MS 64
#define WF_BROM_BATCH_HEX_MAX	       12

typedef struct {
	guint8 cmd;
	guint32 addr;
	guint32 count;
	gsize request_off; /* where its header starts in the request */
	guint first_word;  /* reads: index of its first result word */
	const gchar *label;
	const gchar *what;
	guint32 subject_addr;
} WfBromBatchCmd;

struct _WfBromBatch {
	GObject parent_instance;
	WfBrom *brom;
	GArray *cmds;	     /* of WfBromBatchCmd */
	GByteArray *request; /* everything the host sends */
	GArray *words;	     /* read results, host order */
	gsize reply_size;    /* bytes the watch answers when all is well */
	const gchar *what;
	guint32 subject_addr;
	guint failed;
	/* receiving */
	guint8 *rx;
	gsize rx_alloc;
	gsize rx_have;
	gsize rx_pos;
};

G_DEFINE_FINAL_TYPE(WfBromBatch, wf_brom_batch, G_TYPE_OBJECT)

static void
wf_brom_batch_finalize(GObject *object)
{
	WfBromBatch *self = WF_BROM_BATCH(object);

	g_clear_object(&self->brom);
	g_array_unref(self->cmds);
	g_byte_array_unref(self->request);
	g_array_unref(self->words);
	g_free(self->rx);
	G_OBJECT_CLASS(wf_brom_batch_parent_class)->finalize(object);
}

static void
wf_brom_batch_class_init(WfBromBatchClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_brom_batch_finalize;
}

static void
wf_brom_batch_init(WfBromBatch *self)
{
	self->cmds = g_array_new(FALSE, TRUE, sizeof(WfBromBatchCmd));
	self->request = g_byte_array_new();
	self->words = g_array_new(FALSE, TRUE, sizeof(guint32));
	self->failed = WF_BROM_BATCH_NONE;
	self->what = "batch";
}

/**
 * wf_brom_batch_new:
 * @brom: a handshaken boot-ROM session
 *
 * Returns: (transfer full): an empty batch
 */
WfBromBatch *
wf_brom_batch_new(WfBrom *brom)
{
	WfBromBatch *self;

	g_return_val_if_fail(WF_IS_BROM(brom), NULL);
	self = g_object_new(WF_TYPE_BROM_BATCH, NULL);
	self->brom = g_object_ref(brom);
	return self;
}

WfBrom *
wf_brom_batch_get_brom(WfBromBatch *self)
{
	g_return_val_if_fail(WF_IS_BROM_BATCH(self), NULL);
	return self->brom;
}

/**
 * wf_brom_batch_reset:
 * @self: a #WfBromBatch
 *
 * Forgets all commands and results, keeping the buffers for reuse.
 */
void
wf_brom_batch_reset(WfBromBatch *self)
{
	g_return_if_fail(WF_IS_BROM_BATCH(self));
	g_array_set_size(self->cmds, 0);
	g_byte_array_set_size(self->request, 0);
	g_array_set_size(self->words, 0);
	self->reply_size = 0;
	self->failed = WF_BROM_BATCH_NONE;
	self->what = "batch";
	self->subject_addr = 0;
	self->rx_have = 0;
	self->rx_pos = 0;
}

/**
 * wf_brom_batch_set_subject:
 * @self: a #WfBromBatch
 * @what: a static string, e.g. "page program"
 * @addr: the flash address it is about
 *
 * Commands queued from now on are reported as being about @what at @addr.
 */
void
wf_brom_batch_set_subject(WfBromBatch *self, const gchar *what, guint32 addr)
{
	g_return_if_fail(WF_IS_BROM_BATCH(self));
	g_return_if_fail(what != NULL);
	self->what = what;
	self->subject_addr = addr;
}

static void
wf_brom_batch_put_u32(GByteArray *array, guint32 value)
{
	const guint8 b[4] = {value >> 24, (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF};
	g_byte_array_append(array, b, sizeof(b));
}

static WfBromBatchCmd *
wf_brom_batch_add(WfBromBatch *self, guint8 cmd, guint32 addr, guint32 count, const gchar *label)
{
	WfBromBatchCmd entry = {
		.cmd = cmd,
		.addr = addr,
		.count = count,
		.request_off = self->request->len,
		.label = label,
		.what = self->what,
		.subject_addr = self->subject_addr,
	};

	g_byte_array_append(self->request, &cmd, 1);
	wf_brom_batch_put_u32(self->request, addr);
	wf_brom_batch_put_u32(self->request, count);
	g_array_append_val(self->cmds, entry);
	return &g_array_index(self->cmds, WfBromBatchCmd, self->cmds->len - 1);
}

/**
 * wf_brom_batch_write32:
 * @self: a #WfBromBatch
 * @addr: a 4-aligned address
 * @values: @count values
 * @count: at least 1
 * @label: a static string saying what the write is for
 *
 * Queues a D4 WRITE32.
 *
 * Returns: the command's index
 */
guint
wf_brom_batch_write32(
	WfBromBatch *self, guint32 addr, const guint32 *values, guint32 count, const gchar *label)
{
	g_return_val_if_fail(WF_IS_BROM_BATCH(self), WF_BROM_BATCH_NONE);
	g_return_val_if_fail(values != NULL && count > 0, WF_BROM_BATCH_NONE);
	g_return_val_if_fail(addr % 4 == 0, WF_BROM_BATCH_NONE);

	wf_brom_batch_add(self, WF_BROM_BATCH_CMD_WRITE32, addr, count, label);
	for (guint32 i = 0; i < count; i++)
		wf_brom_batch_put_u32(self->request, values[i]);
	self->reply_size += WF_BROM_BATCH_HEADER_LEN + 2 + (gsize)count * 6;
	return self->cmds->len - 1;
}

guint
wf_brom_batch_write32_one(WfBromBatch *self, guint32 addr, guint32 value, const gchar *label)
{
	return wf_brom_batch_write32(self, addr, &value, 1, label);
}

/**
 * wf_brom_batch_read32:
 * @self: a #WfBromBatch
 * @addr: a 4-aligned address
 * @count: words, at least 1
 * @label: a static string saying what the read is for
 *
 * Queues a D1 READ32; its words are available after the batch is received.
 *
 * Returns: the command's index
 */
guint
wf_brom_batch_read32(WfBromBatch *self, guint32 addr, guint32 count, const gchar *label)
{
	WfBromBatchCmd *entry;

	g_return_val_if_fail(WF_IS_BROM_BATCH(self), WF_BROM_BATCH_NONE);
	g_return_val_if_fail(count > 0, WF_BROM_BATCH_NONE);
	g_return_val_if_fail(addr % 4 == 0, WF_BROM_BATCH_NONE);

	entry = wf_brom_batch_add(self, WF_BROM_BATCH_CMD_READ32, addr, count, label);
	entry->first_word = self->words->len;
	g_array_set_size(self->words, self->words->len + count);
	self->reply_size += WF_BROM_BATCH_HEADER_LEN + 2 + (gsize)count * 4 + 2;
	return self->cmds->len - 1;
}

guint
wf_brom_batch_get_n_commands(WfBromBatch *self)
{
	g_return_val_if_fail(WF_IS_BROM_BATCH(self), 0);
	return self->cmds->len;
}

/* bytes the host sends for the whole batch */
gsize
wf_brom_batch_get_request_size(WfBromBatch *self)
{
	g_return_val_if_fail(WF_IS_BROM_BATCH(self), 0);
	return self->request->len;
}

/* bytes the watch answers when every command succeeds */
gsize
wf_brom_batch_get_reply_size(WfBromBatch *self)
{
	g_return_val_if_fail(WF_IS_BROM_BATCH(self), 0);
	return self->reply_size;
}

/* ------------------------------------------------------------------------ */
/* errors */

static gchar *
wf_brom_batch_hex(const guint8 *buf, gsize len)
{
	GString *str = g_string_new(NULL);

	for (gsize i = 0; i < len && i < WF_BROM_BATCH_HEX_MAX; i++)
		g_string_append_printf(str, "%s%02X", i > 0 ? " " : "", buf[i]);
	if (len > WF_BROM_BATCH_HEX_MAX)
		g_string_append(str, " …");
	return g_string_free(str, FALSE);
}

/* "page program at 0x00120100: PP start: D4 WRITE32 of 1 word at 0xA0140000" */
static gchar *
wf_brom_batch_describe(WfBromBatch *self, guint idx)
{
	const WfBromBatchCmd *cmd = &g_array_index(self->cmds, WfBromBatchCmd, idx);

	return g_strdup_printf("%s at 0x%08X: %s: %s of %u word%s at 0x%08X",
			       cmd->what,
			       cmd->subject_addr,
			       cmd->label != NULL ? cmd->label : "command",
			       cmd->cmd == WF_BROM_BATCH_CMD_READ32 ? "D1 READ32" : "D4 WRITE32",
			       cmd->count,
			       cmd->count == 1 ? "" : "s",
			       cmd->addr);
}

static gboolean
wf_brom_batch_fail(WfBromBatch *self, guint idx, GError **error, GError *error_local)
{
	g_autofree gchar *name = wf_brom_batch_describe(self, idx);

	self->failed = idx;
	if (error_local->domain == WF_ERROR)
		g_prefix_error(&error_local, "%s: ", name);
	g_propagate_error(error, error_local);
	return FALSE;
}

/* ------------------------------------------------------------------------ */
/* running */

/**
 * wf_brom_batch_drain:
 * @brom: a #WfBrom
 *
 * Reads and drops whatever the watch still sends, until the line has been
 * quiet for 50 ms (at most 2 s), so the next command starts on a clean line.
 */
void
wf_brom_batch_drain(WfBrom *brom)
{
	WfTransport *transport;
	gint64 deadline_us = g_get_monotonic_time() + WF_BROM_BATCH_DRAIN_MAX_MS * 1000;
	guint8 buf[4096];
	gsize total = 0;

	g_return_if_fail(WF_IS_BROM(brom));
	transport = wf_brom_get_transport(brom);
	while (g_get_monotonic_time() < deadline_us) {
		gsize got = 0;
		if (!wf_transport_read(transport,
				       buf,
				       sizeof(buf),
				       &got,
				       WF_BROM_BATCH_DRAIN_SILENCE_MS,
				       NULL,
				       NULL))
			break;
		total += got;
	}
	if (total > 0)
		g_debug("batch: drained %" G_GSIZE_FORMAT " stray bytes", total);
}

/**
 * wf_brom_batch_send:
 * @self: a #WfBromBatch
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * Writes every queued command in one go, without reading anything.
 */
gboolean
wf_brom_batch_send(WfBromBatch *self, GCancellable *cancellable, GError **error)
{
	WfTransport *transport;
	g_autoptr(GError) error_local = NULL;
	guint timeout_ms;

	g_return_val_if_fail(WF_IS_BROM_BATCH(self), FALSE);
	g_return_val_if_fail(self->cmds->len > 0, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	self->failed = WF_BROM_BATCH_NONE;
	self->rx_have = 0;
	self->rx_pos = 0;
	if (wf_brom_is_halted(self->brom)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_DEVICE_STATUS,
			    "%s at 0x%08X: the boot ROM answers nothing more in this session: "
			    "unplug the watch and plug it in again",
			    self->what,
			    self->subject_addr);
		return FALSE;
	}
	transport = wf_brom_get_transport(self->brom);
	timeout_ms = wf_brom_get_timeout(self->brom) +
		     (guint)MIN(self->request->len / WF_BROM_BATCH_MIN_BYTES_PER_MS, G_MAXUINT / 2);
	if (!wf_transport_write(transport,
				self->request->data,
				self->request->len,
				timeout_ms,
				cancellable,
				&error_local))
		return wf_brom_batch_fail(self, 0, error, g_steal_pointer(&error_local));
	return TRUE;
}

/* makes sure @n unparsed reply bytes are buffered */
static gboolean
wf_brom_batch_need(WfBromBatch *self, gsize n, GCancellable *cancellable, GError **error)
{
	WfTransport *transport = wf_brom_get_transport(self->brom);
	guint timeout_ms = wf_brom_get_timeout(self->brom);

	if (self->rx_alloc < self->reply_size) {
		self->rx = g_realloc(self->rx, self->reply_size);
		self->rx_alloc = self->reply_size;
	}
	g_assert(self->rx_pos + n <= self->reply_size);
	while (self->rx_have < self->rx_pos + n) {
		g_autoptr(GError) error_local = NULL;
		gsize got = 0;

		/* never more than this batch's replies: the next batch's are
		 * read by the next batch */
		if (wf_transport_read(transport,
				      self->rx + self->rx_have,
				      self->reply_size - self->rx_have,
				      &got,
				      timeout_ms,
				      cancellable,
				      &error_local)) {
			self->rx_have += got;
			continue;
		}
		if (g_error_matches(error_local, WF_ERROR, WF_ERROR_TIMED_OUT)) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_TIMED_OUT,
				    "no answer from the watch for %u ms (%" G_GSIZE_FORMAT
				    " of the %" G_GSIZE_FORMAT
				    " reply bytes of this batch arrived)",
				    timeout_ms,
				    self->rx_have,
				    self->reply_size);
			return FALSE;
		}
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	return TRUE;
}

static gboolean
wf_brom_batch_expect_echo(WfBromBatch *self,
			  const guint8 *sent,
			  gsize len,
			  const gchar *what,
			  GCancellable *cancellable,
			  GError **error)
{
	const guint8 *got;
	g_autofree gchar *want_hex = NULL;
	g_autofree gchar *got_hex = NULL;

	if (!wf_brom_batch_need(self, len, cancellable, error))
		return FALSE;
	got = self->rx + self->rx_pos;
	self->rx_pos += len;
	if (memcmp(got, sent, len) == 0)
		return TRUE;
	want_hex = wf_brom_batch_hex(sent, len);
	got_hex = wf_brom_batch_hex(got, len);
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_PROTOCOL,
		    "the watch echoed %s instead of %s%s",
		    got_hex,
		    want_hex,
		    what);
	return FALSE;
}

static gboolean
wf_brom_batch_expect_status(WfBromBatch *self,
			    const gchar *what,
			    GCancellable *cancellable,
			    GError **error)
{
	guint16 status;

	if (!wf_brom_batch_need(self, 2, cancellable, error))
		return FALSE;
	status = (guint16)((self->rx[self->rx_pos] << 8) | self->rx[self->rx_pos + 1]);
	self->rx_pos += 2;
	if (status < WF_BROM_BATCH_STATUS_ERROR_MIN)
		return TRUE;
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_DEVICE_STATUS,
		    "failed with status 0x%04X%s: %s",
		    status,
		    what,
		    wf_brom_status_to_string(status));
	return FALSE;
}

static gboolean
wf_brom_batch_receive_read(WfBromBatch *self,
			   const WfBromBatchCmd *cmd,
			   GCancellable *cancellable,
			   GError **error)
{
	gsize len = (gsize)cmd->count * 4;
	const guint8 *p;

	if (!wf_brom_batch_expect_status(self, "", cancellable, error))
		return FALSE;
	if (!wf_brom_batch_need(self, len, cancellable, error))
		return FALSE;
	p = self->rx + self->rx_pos;
	for (guint32 i = 0; i < cmd->count; i++, p += 4) {
		g_array_index(self->words, guint32, cmd->first_word + i) =
			((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | p[3];
	}
	self->rx_pos += len;
	return wf_brom_batch_expect_status(self, " after the data", cancellable, error);
}

static gboolean
wf_brom_batch_receive_write(WfBromBatch *self,
			    const WfBromBatchCmd *cmd,
			    GCancellable *cancellable,
			    GError **error)
{
	const guint8 *values = self->request->data + cmd->request_off + WF_BROM_BATCH_HEADER_LEN;

	if (!wf_brom_batch_expect_status(self, "", cancellable, error))
		return FALSE;
	for (guint32 i = 0; i < cmd->count; i++) {
		g_autofree gchar *what = g_strdup_printf(" for value %u", i);
		if (!wf_brom_batch_expect_echo(self, values + 4 * i, 4, what, cancellable, error))
			return FALSE;
		if (!wf_brom_batch_expect_status(self, what, cancellable, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
wf_brom_batch_receive_one(WfBromBatch *self, guint idx, GCancellable *cancellable, GError **error)
{
	const WfBromBatchCmd *cmd = &g_array_index(self->cmds, WfBromBatchCmd, idx);

	if (!wf_brom_batch_expect_echo(self,
				       self->request->data + cmd->request_off,
				       WF_BROM_BATCH_HEADER_LEN,
				       "",
				       cancellable,
				       error))
		return FALSE;
	if (cmd->cmd == WF_BROM_BATCH_CMD_READ32)
		return wf_brom_batch_receive_read(self, cmd, cancellable, error);
	return wf_brom_batch_receive_write(self, cmd, cancellable, error);
}

/**
 * wf_brom_batch_receive:
 * @self: a #WfBromBatch that was sent
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * Reads and checks every echo, status word and data word of the batch. On
 * failure the line is drained (which also swallows the replies of any batch
 * sent after this one: those are lost) and wf_brom_batch_get_failed() says
 * which command failed.
 */
gboolean
wf_brom_batch_receive(WfBromBatch *self, GCancellable *cancellable, GError **error)
{
	g_return_val_if_fail(WF_IS_BROM_BATCH(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	for (guint i = 0; i < self->cmds->len; i++) {
		GError *error_local = NULL;

		if (wf_brom_batch_receive_one(self, i, cancellable, &error_local))
			continue;
		/* whatever is still coming would be read as the next command's
		 * answer; a port that is gone has nothing to drain */
		if (!g_error_matches(error_local, WF_ERROR, WF_ERROR_DEVICE_LOST))
			wf_brom_batch_drain(self->brom);
		return wf_brom_batch_fail(self, i, error, error_local);
	}
	return TRUE;
}

/**
 * wf_brom_batch_run:
 * @self: a #WfBromBatch
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * wf_brom_batch_send() then wf_brom_batch_receive().
 */
gboolean
wf_brom_batch_run(WfBromBatch *self, GCancellable *cancellable, GError **error)
{
	if (!wf_brom_batch_send(self, cancellable, error))
		return FALSE;
	return wf_brom_batch_receive(self, cancellable, error);
}

/* ------------------------------------------------------------------------ */
/* results */

/**
 * wf_brom_batch_get_words:
 * @self: a received #WfBromBatch
 * @cmd: the index a read32 call returned
 * @count: (out) (optional): how many words
 *
 * Returns: (transfer none): the words read, in host order
 */
const guint32 *
wf_brom_batch_get_words(WfBromBatch *self, guint cmd, guint32 *count)
{
	const WfBromBatchCmd *entry;

	g_return_val_if_fail(WF_IS_BROM_BATCH(self), NULL);
	g_return_val_if_fail(cmd < self->cmds->len, NULL);
	entry = &g_array_index(self->cmds, WfBromBatchCmd, cmd);
	g_return_val_if_fail(entry->cmd == WF_BROM_BATCH_CMD_READ32, NULL);
	if (count != NULL)
		*count = entry->count;
	return &g_array_index(self->words, guint32, entry->first_word);
}

guint32
wf_brom_batch_get_word(WfBromBatch *self, guint cmd, guint32 idx)
{
	guint32 count = 0;
	const guint32 *words = wf_brom_batch_get_words(self, cmd, &count);

	g_return_val_if_fail(words != NULL && idx < count, 0);
	return words[idx];
}

/**
 * wf_brom_batch_get_failed:
 * @self: a #WfBromBatch
 *
 * Returns: the index of the command a failed send/receive stopped at, or
 * %WF_BROM_BATCH_NONE
 */
guint
wf_brom_batch_get_failed(WfBromBatch *self)
{
	g_return_val_if_fail(WF_IS_BROM_BATCH(self), WF_BROM_BATCH_NONE);
	return self->failed;
}

const gchar *
wf_brom_batch_get_label(WfBromBatch *self, guint cmd)
{
	g_return_val_if_fail(WF_IS_BROM_BATCH(self), NULL);
	g_return_val_if_fail(cmd < self->cmds->len, NULL);
	return g_array_index(self->cmds, WfBromBatchCmd, cmd).label;
}

/**
 * wf_brom_batch_get_subject:
 * @self: a #WfBromBatch
 * @cmd: a command index
 * @addr: (out) (optional): the subject's address
 *
 * Returns: what the command was about, as given to wf_brom_batch_set_subject()
 */
const gchar *
wf_brom_batch_get_subject(WfBromBatch *self, guint cmd, guint32 *addr)
{
	const WfBromBatchCmd *entry;

	g_return_val_if_fail(WF_IS_BROM_BATCH(self), NULL);
	g_return_val_if_fail(cmd < self->cmds->len, NULL);
	entry = &g_array_index(self->cmds, WfBromBatchCmd, cmd);
	if (addr != NULL)
		*addr = entry->subject_addr;
	return entry->what;
}
