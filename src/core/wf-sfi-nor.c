/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-sfi-nor.h"

#include <string.h>

#include "wf-error.h"
#include "wf-sfi.h"

/*
 * One SPI transaction through the SFI controller (protocol.md §3.11) is, in
 * boot-ROM commands:
 *   W GPRAM words · W send/recv lengths · R status (bit8 ready) ·
 *   W control = base|macro|start · R control × n · W control = base ·
 *   [R GPRAM reply words]
 * wf_sfi_transact() runs that one command at a time with polling loops. Here
 * the same commands are queued blind into a batch and the values read are
 * checked afterwards: the first control read after the start must not be
 * needed to decide anything, only to be looked at. The real controller ends
 * a transaction within microseconds; the virtual one shows busy for exactly
 * one read. If the last control read of a transaction still shows busy, the
 * operation is redone with more control reads (programming and erasing are
 * safe to repeat: programming the same bytes again changes nothing).
 *
 * Write operations are WREN, RDSR, operation in one batch: the RDSR must show
 * WEL set and WIP clear. While the flash is busy it ignores WREN, and without
 * WEL it ignores the operation, so a batch that ran into a busy flash did
 * nothing and can simply be sent again.
 */

#define WF_SFI_NOR_CTRL_READS_DEFAULT 2
#define WF_SFI_NOR_CTRL_READS_MAX     8
/* how often one operation is tried before its error is final */
#define WF_SFI_NOR_MAX_ATTEMPTS 4
/* a page that found the flash busy was not touched at all: retrying it is
 * harmless, so a loaded host (late batches, bunched pages) gets more tries */
#define WF_SFI_NOR_MAX_IDLE_RETRIES 16
/* status reads queued after a page program to give the flash time before the
 * next page's WREN arrives; adapted while programming */
#define WF_SFI_NOR_MAX_PACING 12
/* clean pages in a row before one pacing read less is tried */
#define WF_SFI_NOR_PACING_DECAY 64
/* a collision raises pacing only this soon after the previous one (or after
 * pacing went down): a lone collision after a long clean run is the link's
 * jitter, not too little pacing */
#define WF_SFI_NOR_PACING_RECENT 16
/* 0x03 reads: bytes per transaction and transactions per batch */
#define WF_SFI_NOR_READ_CHUNK	       256
#define WF_SFI_NOR_READ_TXNS_PER_BATCH 8
/* between status polls while an erase runs: no point in hammering the link */
#define WF_SFI_NOR_ERASE_POLL_US 2000

typedef struct {
	const gchar *name;
	guint status_cmd;
	guint ctrl_first;
	guint n_ctrl;
	guint reply_cmd;
	gsize txlen;
	gsize rxlen;
} WfSfiNorTxn;

typedef enum {
	WF_SFI_NOR_OUTCOME_OK,
	WF_SFI_NOR_OUTCOME_BUSY,   /* the flash was still busy: nothing was done */
	WF_SFI_NOR_OUTCOME_NO_WEL, /* WEL not set: nothing was done */
	WF_SFI_NOR_OUTCOME_RETRY,  /* controller slow: try again */
} WfSfiNorOutcome;

struct _WfSfiNor {
	GObject parent_instance;
	WfBrom *brom;
	WfBromBatch *batch; /* for single operations */
	guint32 ctrl_base;
	gboolean ctrl_known;
	guint ctrl_reads;
	guint timeouts[WF_SFI_NOR_OP_LAST];
	guint depth;
	guint pacing;
	guint clean_streak;
	WfSfiNorStats stats;
};

G_DEFINE_FINAL_TYPE(WfSfiNor, wf_sfi_nor, G_TYPE_OBJECT)

static void
wf_sfi_nor_finalize(GObject *object)
{
	WfSfiNor *self = WF_SFI_NOR(object);

	g_clear_object(&self->batch);
	g_clear_object(&self->brom);
	G_OBJECT_CLASS(wf_sfi_nor_parent_class)->finalize(object);
}

static void
wf_sfi_nor_class_init(WfSfiNorClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_sfi_nor_finalize;
}

static void
wf_sfi_nor_init(WfSfiNor *self)
{
	self->ctrl_reads = WF_SFI_NOR_CTRL_READS_DEFAULT;
	self->depth = WF_SFI_NOR_DEFAULT_DEPTH;
	self->timeouts[WF_SFI_NOR_OP_ANY] = WF_SFI_NOR_TIMEOUT_BLOCK_ERASE_MS;
	self->timeouts[WF_SFI_NOR_OP_SECTOR_ERASE] = WF_SFI_NOR_TIMEOUT_SECTOR_ERASE_MS;
	self->timeouts[WF_SFI_NOR_OP_BLOCK_ERASE] = WF_SFI_NOR_TIMEOUT_BLOCK_ERASE_MS;
	self->timeouts[WF_SFI_NOR_OP_PAGE_PROGRAM] = WF_SFI_NOR_TIMEOUT_PAGE_PROGRAM_MS;
	self->timeouts[WF_SFI_NOR_OP_WRITE_STATUS] = WF_SFI_NOR_TIMEOUT_WRITE_STATUS_MS;
}

/**
 * wf_sfi_nor_new:
 * @brom: a handshaken boot-ROM session
 *
 * Returns: (transfer full): a #WfSfiNor
 */
WfSfiNor *
wf_sfi_nor_new(WfBrom *brom)
{
	WfSfiNor *self;

	g_return_val_if_fail(WF_IS_BROM(brom), NULL);
	self = g_object_new(WF_TYPE_SFI_NOR, NULL);
	self->brom = g_object_ref(brom);
	self->batch = wf_brom_batch_new(brom);
	return self;
}

WfBrom *
wf_sfi_nor_get_brom(WfSfiNor *self)
{
	g_return_val_if_fail(WF_IS_SFI_NOR(self), NULL);
	return self->brom;
}

/**
 * wf_sfi_nor_op_to_string:
 * @op: a #WfSfiNorOp
 *
 * Returns: what error messages call the operation
 */
const gchar *
wf_sfi_nor_op_to_string(WfSfiNorOp op)
{
	switch (op) {
	case WF_SFI_NOR_OP_ANY:
		return "the flash's previous operation";
	case WF_SFI_NOR_OP_SECTOR_ERASE:
		return "sector erase";
	case WF_SFI_NOR_OP_BLOCK_ERASE:
		return "block erase";
	case WF_SFI_NOR_OP_PAGE_PROGRAM:
		return "page program";
	case WF_SFI_NOR_OP_WRITE_STATUS:
		return "status register write";
	default:
		return "flash operation";
	}
}

/**
 * wf_sfi_nor_set_timeout:
 * @self: a #WfSfiNor
 * @op: an operation
 * @timeout_ms: how long it may keep WIP set, at least 1
 */
void
wf_sfi_nor_set_timeout(WfSfiNor *self, WfSfiNorOp op, guint timeout_ms)
{
	g_return_if_fail(WF_IS_SFI_NOR(self));
	g_return_if_fail(op < WF_SFI_NOR_OP_LAST);
	g_return_if_fail(timeout_ms > 0);
	self->timeouts[op] = timeout_ms;
}

guint
wf_sfi_nor_get_timeout(WfSfiNor *self, WfSfiNorOp op)
{
	g_return_val_if_fail(WF_IS_SFI_NOR(self), 0);
	g_return_val_if_fail(op < WF_SFI_NOR_OP_LAST, 0);
	return self->timeouts[op];
}

/**
 * wf_sfi_nor_set_depth:
 * @self: a #WfSfiNor
 * @depth: page batches on the wire at once while programming, 1 to 8
 */
void
wf_sfi_nor_set_depth(WfSfiNor *self, guint depth)
{
	g_return_if_fail(WF_IS_SFI_NOR(self));
	g_return_if_fail(depth >= 1 && depth <= WF_SFI_NOR_MAX_DEPTH);
	self->depth = depth;
}

const WfSfiNorStats *
wf_sfi_nor_get_stats(WfSfiNor *self)
{
	g_return_val_if_fail(WF_IS_SFI_NOR(self), NULL);
	return &self->stats;
}

void
wf_sfi_nor_reset_stats(WfSfiNor *self)
{
	g_return_if_fail(WF_IS_SFI_NOR(self));
	memset(&self->stats, 0, sizeof(self->stats));
}

/* ------------------------------------------------------------------------ */
/* transactions in a batch */

/* the control register's other bits are kept as found (read once) */
static gboolean
wf_sfi_nor_ensure_ctrl(WfSfiNor *self, GCancellable *cancellable, GError **error)
{
	guint32 value = 0;

	if (self->ctrl_known)
		return TRUE;
	if (!wf_brom_read32(self->brom, WF_SFI_REG_CONTROL, &value, 1, cancellable, error)) {
		g_prefix_error(error, "SFI: reading the controller's control register: ");
		return FALSE;
	}
	self->ctrl_base = value & ~(guint32)(WF_SFI_CONTROL_BUSY | WF_SFI_CONTROL_MACRO_ACTIVE |
					     WF_SFI_CONTROL_START | WF_SFI_CONTROL_MACRO |
					     WF_SFI_CONTROL_QPI);
	self->ctrl_known = TRUE;
	return TRUE;
}

/* GPRAM holds bytes packed little-endian into 32-bit words */
static guint
wf_sfi_nor_pack(const guint8 *bytes, gsize len, guint32 *words)
{
	for (gsize i = 0; i < len; i++) {
		if (i % 4 == 0)
			words[i / 4] = 0;
		words[i / 4] |= (guint32)bytes[i] << (8 * (i % 4));
	}
	return (guint)((len + 3) / 4);
}

/*
 * Queues one transaction. @head (@head_len bytes) is written to GPRAM from
 * its start; the rest of the @txlen bytes sent must already be there.
 */
static void
wf_sfi_nor_queue_txn(WfSfiNor *self,
		     WfBromBatch *batch,
		     const gchar *name,
		     const guint8 *head,
		     gsize head_len,
		     gsize txlen,
		     gsize rxlen,
		     WfSfiNorTxn *txn)
{
	guint32 words[(WF_SFI_MAX_TRANSFER + 3) / 4];
	const guint32 lens[2] = {(guint32)txlen, (guint32)rxlen};

	g_assert(txlen + rxlen <= WF_SFI_MAX_TRANSFER);
	txn->name = name;
	txn->txlen = txlen;
	txn->rxlen = rxlen;
	txn->reply_cmd = WF_BROM_BATCH_NONE;
	if (head_len > 0) {
		guint n = wf_sfi_nor_pack(head, head_len, words);
		wf_brom_batch_write32(batch, WF_SFI_REG_GPRAM, words, n, name);
	}
	wf_brom_batch_write32(batch, WF_SFI_REG_SEND_LEN, lens, 2, name);
	txn->status_cmd = wf_brom_batch_read32(batch, WF_SFI_REG_STATUS, 1, name);
	wf_brom_batch_write32_one(batch,
				  WF_SFI_REG_CONTROL,
				  self->ctrl_base | WF_SFI_CONTROL_MACRO | WF_SFI_CONTROL_START,
				  name);
	txn->n_ctrl = self->ctrl_reads;
	txn->ctrl_first = wf_brom_batch_read32(batch, WF_SFI_REG_CONTROL, 1, name);
	for (guint i = 1; i < txn->n_ctrl; i++)
		wf_brom_batch_read32(batch, WF_SFI_REG_CONTROL, 1, name);
	wf_brom_batch_write32_one(batch, WF_SFI_REG_CONTROL, self->ctrl_base, name);
	if (rxlen > 0) {
		/* the reply follows the sent bytes, maybe mid-word */
		gsize skip = txlen % 4;
		wf_brom_batch_read32(batch,
				     WF_SFI_REG_GPRAM + (guint32)(txlen - skip),
				     (guint32)((skip + rxlen + 3) / 4),
				     name);
		txn->reply_cmd = wf_brom_batch_get_n_commands(batch) - 1;
	}
}

/*
 * What the controller showed during a received transaction. @slow is set
 * when more control reads would have helped.
 */
static gboolean
wf_sfi_nor_check_txn(
	WfBromBatch *batch, const WfSfiNorTxn *txn, guint8 *rx, gboolean *slow, GError **error)
{
	guint32 status = wf_brom_batch_get_word(batch, txn->status_cmd, 0);
	guint32 ctrl = wf_brom_batch_get_word(batch, txn->ctrl_first + txn->n_ctrl - 1, 0);

	if ((status & WF_SFI_STATUS_READY) == 0) {
		*slow = TRUE;
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_TIMED_OUT,
			    "%s: the flash controller was not ready for the transaction "
			    "(0x%08X = 0x%08X, bit 8 clear)",
			    txn->name,
			    (guint)WF_SFI_REG_STATUS,
			    status);
		return FALSE;
	}
	if (ctrl & WF_SFI_CONTROL_BUSY) {
		*slow = TRUE;
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_TIMED_OUT,
			    "%s: the flash controller was still busy after %u reads of 0x%08X "
			    "(last value 0x%08X)",
			    txn->name,
			    txn->n_ctrl,
			    (guint)WF_SFI_REG_CONTROL,
			    ctrl);
		return FALSE;
	}
	if ((ctrl & WF_SFI_CONTROL_MACRO_ACTIVE) == 0) {
		*slow = TRUE;
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_TIMED_OUT,
			    "%s: the flash controller never showed macro mode active in %u reads "
			    "of 0x%08X (last value 0x%08X)",
			    txn->name,
			    txn->n_ctrl,
			    (guint)WF_SFI_REG_CONTROL,
			    ctrl);
		return FALSE;
	}
	if (rx != NULL && txn->rxlen > 0) {
		const guint32 *words = wf_brom_batch_get_words(batch, txn->reply_cmd, NULL);
		gsize skip = txn->txlen % 4;
		for (gsize i = 0; i < txn->rxlen; i++) {
			gsize pos = skip + i;
			rx[i] = (guint8)(words[pos / 4] >> (8 * (pos % 4)));
		}
	}
	return TRUE;
}

/* a slow controller gets more control reads from now on */
static void
wf_sfi_nor_note_slow(WfSfiNor *self)
{
	if (self->ctrl_reads < WF_SFI_NOR_CTRL_READS_MAX) {
		self->ctrl_reads++;
		g_debug("SFI: the controller is slow; %u control reads per transaction",
			self->ctrl_reads);
	}
}

static gboolean
wf_sfi_nor_run_batch(WfSfiNor *self, WfBromBatch *batch, GCancellable *cancellable, GError **error)
{
	self->stats.batches++;
	return wf_brom_batch_run(batch, cancellable, error);
}

/*
 * One transaction on its own (identify, RDSR, WRDI, ...), tried again when
 * the controller was slow.
 */
static gboolean
wf_sfi_nor_simple_txn(WfSfiNor *self,
		      const gchar *what,
		      guint32 addr,
		      const gchar *name,
		      const guint8 *tx,
		      gsize txlen,
		      guint8 *rx,
		      gsize rxlen,
		      GCancellable *cancellable,
		      GError **error)
{
	if (!wf_sfi_nor_ensure_ctrl(self, cancellable, error))
		return FALSE;
	for (guint attempt = 1;; attempt++) {
		g_autoptr(GError) error_local = NULL;
		gboolean slow = FALSE;
		WfSfiNorTxn txn;

		wf_brom_batch_reset(self->batch);
		wf_brom_batch_set_subject(self->batch, what, addr);
		wf_sfi_nor_queue_txn(self, self->batch, name, tx, txlen, txlen, rxlen, &txn);
		if (!wf_sfi_nor_run_batch(self, self->batch, cancellable, error))
			return FALSE;
		if (wf_sfi_nor_check_txn(self->batch, &txn, rx, &slow, &error_local))
			return TRUE;
		if (slow)
			wf_sfi_nor_note_slow(self);
		if (attempt >= WF_SFI_NOR_MAX_ATTEMPTS) {
			g_prefix_error(&error_local, "%s at 0x%08X: ", what, addr);
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		g_debug("%s at 0x%08X: %s; trying again", what, addr, error_local->message);
	}
}

/* ------------------------------------------------------------------------ */
/* identification and status */

/**
 * wf_sfi_nor_read_jedec_id:
 * @self: a #WfSfiNor
 * @id: (out): manufacturer, memory type, capacity code
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * 9F RDID.
 */
gboolean
wf_sfi_nor_read_jedec_id(WfSfiNor *self, guint8 id[3], GCancellable *cancellable, GError **error)
{
	const guint8 cmd = WF_SFI_NOR_RDID;

	g_return_val_if_fail(WF_IS_SFI_NOR(self), FALSE);
	g_return_val_if_fail(id != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	return wf_sfi_nor_simple_txn(
		self, "JEDEC id", 0, "RDID", &cmd, 1, id, 3, cancellable, error);
}

/**
 * wf_sfi_nor_read_status:
 * @self: a #WfSfiNor
 * @status: (out): bit0 WIP, bit1 WEL, bits 2–5 block protect
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * 05 RDSR.
 */
gboolean
wf_sfi_nor_read_status(WfSfiNor *self, guint8 *status, GCancellable *cancellable, GError **error)
{
	const guint8 cmd = WF_SFI_NOR_RDSR;

	g_return_val_if_fail(WF_IS_SFI_NOR(self), FALSE);
	g_return_val_if_fail(status != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	return wf_sfi_nor_simple_txn(
		self, "status read", 0, "RDSR", &cmd, 1, status, 1, cancellable, error);
}

/**
 * wf_sfi_nor_wait_idle:
 * @self: a #WfSfiNor
 * @op: the operation that is running (its timeout applies)
 * @addr: its address, for the error message
 * @status: (out) (optional): the status register once idle
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * Polls RDSR until WIP clears. Fails only if a poll that started after the
 * operation's timeout still sees WIP, so a slow link never causes a timeout.
 */
gboolean
wf_sfi_nor_wait_idle(WfSfiNor *self,
		     WfSfiNorOp op,
		     guint32 addr,
		     guint8 *status,
		     GCancellable *cancellable,
		     GError **error)
{
	gint64 deadline_us;
	gboolean erase;

	g_return_val_if_fail(WF_IS_SFI_NOR(self), FALSE);
	g_return_val_if_fail(op < WF_SFI_NOR_OP_LAST, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	erase = op == WF_SFI_NOR_OP_SECTOR_ERASE || op == WF_SFI_NOR_OP_BLOCK_ERASE;
	deadline_us = g_get_monotonic_time() + (gint64)self->timeouts[op] * 1000;
	for (;;) {
		gint64 poll_us = g_get_monotonic_time();
		guint8 sr = 0;

		if (!wf_sfi_nor_read_status(self, &sr, cancellable, error)) {
			g_prefix_error(error,
				       "waiting for %s at 0x%08X: ",
				       wf_sfi_nor_op_to_string(op),
				       addr);
			return FALSE;
		}
		self->stats.status_polls++;
		if ((sr & WF_SFI_NOR_SR_WIP) == 0) {
			if (status != NULL)
				*status = sr;
			return TRUE;
		}
		if (poll_us >= deadline_us) {
			if (op == WF_SFI_NOR_OP_ANY) {
				g_set_error(error,
					    WF_ERROR,
					    WF_ERROR_TIMED_OUT,
					    "%s did not finish in %u ms (status 0x%02X)",
					    wf_sfi_nor_op_to_string(op),
					    self->timeouts[op],
					    sr);
			} else {
				g_set_error(error,
					    WF_ERROR,
					    WF_ERROR_TIMED_OUT,
					    "%s at 0x%08X did not finish in %u ms (status 0x%02X)",
					    wf_sfi_nor_op_to_string(op),
					    addr,
					    self->timeouts[op],
					    sr);
			}
			return FALSE;
		}
		if (erase)
			g_usleep(WF_SFI_NOR_ERASE_POLL_US);
	}
}

/* ------------------------------------------------------------------------ */
/* write operations */

/* WREN, RDSR, then the operation's own transaction */
static void
wf_sfi_nor_queue_write_op(WfSfiNor *self,
			  WfBromBatch *batch,
			  const gchar *name,
			  const guint8 *head,
			  gsize head_len,
			  gsize txlen,
			  gboolean gpram_holds_wren,
			  WfSfiNorTxn txns[3])
{
	const guint8 wren = WF_SFI_NOR_CMD_WREN;
	const guint8 rdsr = WF_SFI_NOR_RDSR;

	wf_sfi_nor_queue_txn(self,
			     batch,
			     "WREN",
			     gpram_holds_wren ? NULL : &wren,
			     gpram_holds_wren ? 0 : 1,
			     1,
			     0,
			     &txns[0]);
	wf_sfi_nor_queue_txn(self, batch, "RDSR after WREN", &rdsr, 1, 1, 1, &txns[1]);
	wf_sfi_nor_queue_txn(self, batch, name, head, head_len, txlen, 0, &txns[2]);
}

static WfSfiNorOutcome
wf_sfi_nor_check_write_op(WfSfiNor *self,
			  WfBromBatch *batch,
			  const WfSfiNorTxn txns[3],
			  GError **error)
{
	gboolean slow = FALSE;
	guint8 sr = 0;

	for (guint i = 0; i < 3; i++) {
		if (!wf_sfi_nor_check_txn(batch, &txns[i], i == 1 ? &sr : NULL, &slow, error)) {
			if (slow)
				wf_sfi_nor_note_slow(self);
			return WF_SFI_NOR_OUTCOME_RETRY;
		}
		/* a busy flash ignored the WREN, so the operation did nothing */
		if (i == 1 && (sr & WF_SFI_NOR_SR_WIP) != 0) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_TIMED_OUT,
				    "the flash was still busy (status 0x%02X) when the write "
				    "enable was sent",
				    sr);
			return WF_SFI_NOR_OUTCOME_BUSY;
		}
		if (i == 1 && (sr & WF_SFI_NOR_SR_WEL) == 0) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_DEVICE_STATUS,
				    "the flash did not set its write-enable latch after WREN "
				    "(status 0x%02X): it ignores erase and program commands",
				    sr);
			return WF_SFI_NOR_OUTCOME_NO_WEL;
		}
	}
	return WF_SFI_NOR_OUTCOME_OK;
}

/* a write operation on its own: wait idle, WREN+RDSR+op, wait for it */
static gboolean
wf_sfi_nor_write_op_once(WfSfiNor *self,
			 WfSfiNorOp op,
			 guint32 addr,
			 const gchar *name,
			 const guint8 *tx,
			 gsize txlen,
			 GCancellable *cancellable,
			 GError **error)
{
	const gchar *what = wf_sfi_nor_op_to_string(op);

	if (!wf_sfi_nor_ensure_ctrl(self, cancellable, error))
		return FALSE;
	for (guint attempt = 1;; attempt++) {
		g_autoptr(GError) error_local = NULL;
		WfSfiNorTxn txns[3];

		if (!wf_sfi_nor_wait_idle(self, WF_SFI_NOR_OP_ANY, addr, NULL, cancellable, error))
			return FALSE;
		wf_brom_batch_reset(self->batch);
		wf_brom_batch_set_subject(self->batch, what, addr);
		wf_sfi_nor_queue_write_op(self, self->batch, name, tx, txlen, txlen, FALSE, txns);
		if (!wf_sfi_nor_run_batch(self, self->batch, cancellable, error))
			return FALSE;
		if (wf_sfi_nor_check_write_op(self, self->batch, txns, &error_local) ==
		    WF_SFI_NOR_OUTCOME_OK)
			break;
		if (attempt >= WF_SFI_NOR_MAX_ATTEMPTS) {
			g_prefix_error(&error_local, "%s at 0x%08X: ", what, addr);
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		g_debug("%s at 0x%08X: %s; trying again", what, addr, error_local->message);
	}
	return wf_sfi_nor_wait_idle(self, op, addr, NULL, cancellable, error);
}

/*
 * After a failed write operation the error says in which state the flash
 * was left: idle and write-disabled, or why that could not be made sure.
 */
static void
wf_sfi_nor_add_safe_note(WfSfiNor *self, GError **error)
{
	g_autofree gchar *note = NULL;
	gchar *message;

	if (error == NULL || *error == NULL ||
	    g_error_matches(*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	note = wf_sfi_nor_make_safe(self);
	message = g_strdup_printf("%s; %s", (*error)->message, note);
	g_free((*error)->message);
	(*error)->message = message;
}

static gboolean
wf_sfi_nor_write_op(WfSfiNor *self,
		    WfSfiNorOp op,
		    guint32 addr,
		    const gchar *name,
		    const guint8 *tx,
		    gsize txlen,
		    GCancellable *cancellable,
		    GError **error)
{
	g_autoptr(GError) error_local = NULL;

	if (wf_sfi_nor_write_op_once(self, op, addr, name, tx, txlen, cancellable, &error_local))
		return TRUE;
	wf_sfi_nor_add_safe_note(self, &error_local);
	g_propagate_error(error, g_steal_pointer(&error_local));
	return FALSE;
}

/* WREN or WRDI followed by RDSR, checking WEL */
static gboolean
wf_sfi_nor_set_wel(WfSfiNor *self, gboolean enable, GCancellable *cancellable, GError **error)
{
	const guint8 cmd = enable ? WF_SFI_NOR_CMD_WREN : WF_SFI_NOR_CMD_WRDI;
	const guint8 rdsr = WF_SFI_NOR_RDSR;
	const gchar *what = enable ? "write enable" : "write disable";

	if (!wf_sfi_nor_ensure_ctrl(self, cancellable, error))
		return FALSE;
	for (guint attempt = 1;; attempt++) {
		g_autoptr(GError) error_local = NULL;
		gboolean slow = FALSE;
		WfSfiNorTxn txns[2];
		guint8 sr = 0;

		wf_brom_batch_reset(self->batch);
		wf_brom_batch_set_subject(self->batch, what, 0);
		wf_sfi_nor_queue_txn(
			self, self->batch, enable ? "WREN" : "WRDI", &cmd, 1, 1, 0, &txns[0]);
		wf_sfi_nor_queue_txn(self, self->batch, "RDSR", &rdsr, 1, 1, 1, &txns[1]);
		if (!wf_sfi_nor_run_batch(self, self->batch, cancellable, error))
			return FALSE;
		if (wf_sfi_nor_check_txn(self->batch, &txns[0], NULL, &slow, &error_local) &&
		    wf_sfi_nor_check_txn(self->batch, &txns[1], &sr, &slow, &error_local)) {
			if ((sr & WF_SFI_NOR_SR_WIP) != 0) {
				g_set_error(&error_local,
					    WF_ERROR,
					    WF_ERROR_TIMED_OUT,
					    "the flash is busy (status 0x%02X)",
					    sr);
			} else if (((sr & WF_SFI_NOR_SR_WEL) != 0) == enable) {
				return TRUE;
			} else {
				g_set_error(
					&error_local,
					WF_ERROR,
					WF_ERROR_DEVICE_STATUS,
					"the write-enable latch stayed %s (status 0x%02X)%s",
					enable ? "clear" : "set",
					sr,
					enable ? ": the flash ignores erase and program commands"
					       : "");
			}
		} else if (slow) {
			wf_sfi_nor_note_slow(self);
		}
		if (attempt >= WF_SFI_NOR_MAX_ATTEMPTS) {
			g_prefix_error(&error_local, "%s: ", what);
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
	}
}

/**
 * wf_sfi_nor_write_enable:
 * @self: a #WfSfiNor
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * 06 WREN, then RDSR to check that WEL is set.
 */
gboolean
wf_sfi_nor_write_enable(WfSfiNor *self, GCancellable *cancellable, GError **error)
{
	g_return_val_if_fail(WF_IS_SFI_NOR(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	return wf_sfi_nor_set_wel(self, TRUE, cancellable, error);
}

/**
 * wf_sfi_nor_write_disable:
 * @self: a #WfSfiNor
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * 04 WRDI, then RDSR to check that WEL is clear.
 */
gboolean
wf_sfi_nor_write_disable(WfSfiNor *self, GCancellable *cancellable, GError **error)
{
	g_return_val_if_fail(WF_IS_SFI_NOR(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	return wf_sfi_nor_set_wel(self, FALSE, cancellable, error);
}

/**
 * wf_sfi_nor_write_status:
 * @self: a #WfSfiNor
 * @status: the new status register (WIP and WEL are ignored)
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * 01 WRSR, always after a WREN whose WEL is checked, then waits for it and
 * checks that the block-protect bits took.
 */
gboolean
wf_sfi_nor_write_status(WfSfiNor *self, guint8 status, GCancellable *cancellable, GError **error)
{
	const guint8 tx[2] = {WF_SFI_NOR_CMD_WRSR,
			      status & (guint8) ~(WF_SFI_NOR_SR_WIP | WF_SFI_NOR_SR_WEL)};
	guint8 now = 0;

	g_return_val_if_fail(WF_IS_SFI_NOR(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!wf_sfi_nor_write_op(self,
				 WF_SFI_NOR_OP_WRITE_STATUS,
				 0,
				 "WRSR",
				 tx,
				 sizeof(tx),
				 cancellable,
				 error))
		return FALSE;
	if (!wf_sfi_nor_read_status(self, &now, cancellable, error))
		return FALSE;
	if ((now & WF_SFI_NOR_SR_BP_MASK) != (tx[1] & WF_SFI_NOR_SR_BP_MASK)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_DEVICE_STATUS,
			    "status register write: wrote 0x%02X but the flash reads back 0x%02X: "
			    "its status register is locked (SRP bit with the WP# pin held low)",
			    tx[1],
			    now);
		return FALSE;
	}
	return TRUE;
}

/**
 * wf_sfi_nor_clear_protection:
 * @self: a #WfSfiNor
 * @old_status: (out) (optional): the status register before
 * @note: (out) (optional) (transfer full): what was changed and why, or %NULL
 *   when nothing needed changing
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * Clears the block-protect bits (2–5) if any is set, keeping the other
 * status bits (QE, SRP). Which blocks a BP value protects depends on the part,
 * so any set bit counts as blocking a write. The note is meant for the user.
 */
gboolean
wf_sfi_nor_clear_protection(
	WfSfiNor *self, guint8 *old_status, gchar **note, GCancellable *cancellable, GError **error)
{
	guint8 sr = 0;
	guint8 cleared;

	g_return_val_if_fail(WF_IS_SFI_NOR(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (note != NULL)
		*note = NULL;
	if (!wf_sfi_nor_wait_idle(self, WF_SFI_NOR_OP_ANY, 0, &sr, cancellable, error))
		return FALSE;
	if (old_status != NULL)
		*old_status = sr;
	if ((sr & WF_SFI_NOR_SR_BP_MASK) == 0)
		return TRUE;
	cleared = sr & (guint8) ~(WF_SFI_NOR_SR_BP_MASK | WF_SFI_NOR_SR_WIP | WF_SFI_NOR_SR_WEL);
	g_info("flash block protection set (status 0x%02X); clearing it", sr);
	if (!wf_sfi_nor_write_status(self, cleared, cancellable, error)) {
		g_prefix_error(error,
			       "the flash's block protection (status 0x%02X) blocks the write and "
			       "could not be cleared: ",
			       sr);
		return FALSE;
	}
	if (note != NULL) {
		*note = g_strdup_printf("the flash's block protection was on (status register "
					"0x%02X, BP bits %u) and was cleared (now 0x%02X) so that "
					"it accepts erase and program",
					sr,
					(guint)((sr & WF_SFI_NOR_SR_BP_MASK) >> 2),
					cleared);
	}
	return TRUE;
}

/**
 * wf_sfi_nor_erase_sector:
 * @self: a #WfSfiNor
 * @addr: a 4 KiB-aligned flash offset
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * 20 sector erase, waiting at most the sector-erase timeout for it.
 */
gboolean
wf_sfi_nor_erase_sector(WfSfiNor *self, guint32 addr, GCancellable *cancellable, GError **error)
{
	const guint8 tx[4] = {WF_SFI_NOR_CMD_SE, addr >> 16, addr >> 8, addr};

	g_return_val_if_fail(WF_IS_SFI_NOR(self), FALSE);
	g_return_val_if_fail(addr % WF_SFI_NOR_SECTOR_SIZE == 0, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!wf_sfi_nor_write_op(
		    self, WF_SFI_NOR_OP_SECTOR_ERASE, addr, "SE", tx, 4, cancellable, error))
		return FALSE;
	self->stats.sector_erases++;
	return TRUE;
}

/**
 * wf_sfi_nor_erase_block:
 * @self: a #WfSfiNor
 * @addr: a 64 KiB-aligned flash offset
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * D8 block erase, waiting at most the block-erase timeout for it.
 */
gboolean
wf_sfi_nor_erase_block(WfSfiNor *self, guint32 addr, GCancellable *cancellable, GError **error)
{
	const guint8 tx[4] = {WF_SFI_NOR_CMD_BE, addr >> 16, addr >> 8, addr};

	g_return_val_if_fail(WF_IS_SFI_NOR(self), FALSE);
	g_return_val_if_fail(addr % WF_SFI_NOR_BLOCK_SIZE == 0, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!wf_sfi_nor_write_op(
		    self, WF_SFI_NOR_OP_BLOCK_ERASE, addr, "BE", tx, 4, cancellable, error))
		return FALSE;
	self->stats.block_erases++;
	return TRUE;
}

static gboolean
wf_sfi_nor_check_page_span(guint32 addr, gsize len, GError **error)
{
	if (len == 0 || len > WF_SFI_NOR_PAGE_SIZE ||
	    (addr % WF_SFI_NOR_PAGE_SIZE) + len > WF_SFI_NOR_PAGE_SIZE) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "page program at 0x%08X: %" G_GSIZE_FORMAT " bytes do not fit in one "
			    "256-byte page (the flash would wrap inside the page)",
			    addr,
			    len);
		return FALSE;
	}
	return TRUE;
}

/**
 * wf_sfi_nor_program_page:
 * @self: a #WfSfiNor
 * @addr: flash offset
 * @data: bytes to program
 * @len: 1 to 256, not crossing a page boundary
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * 02 page program of one page (or part of one), waiting for it.
 */
gboolean
wf_sfi_nor_program_page(WfSfiNor *self,
			guint32 addr,
			const guint8 *data,
			gsize len,
			GCancellable *cancellable,
			GError **error)
{
	guint8 tx[4 + WF_SFI_NOR_PAGE_SIZE];

	g_return_val_if_fail(WF_IS_SFI_NOR(self), FALSE);
	g_return_val_if_fail(data != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!wf_sfi_nor_check_page_span(addr, len, error))
		return FALSE;
	tx[0] = WF_SFI_NOR_CMD_PP;
	tx[1] = (guint8)(addr >> 16);
	tx[2] = (guint8)(addr >> 8);
	tx[3] = (guint8)addr;
	memcpy(tx + 4, data, len);
	if (!wf_sfi_nor_write_op(
		    self, WF_SFI_NOR_OP_PAGE_PROGRAM, addr, "PP", tx, 4 + len, cancellable, error))
		return FALSE;
	self->stats.pages_programmed++;
	return TRUE;
}

/* ------------------------------------------------------------------------ */
/* pipelined programming */

typedef struct {
	guint32 addr;
	gsize off; /* in the caller's data */
	gsize len;
	guint attempts;
	guint idle_retries; /* retries after the flash was found busy */
} WfSfiNorChunk;

typedef struct {
	WfBromBatch *batch;
	WfSfiNorChunk chunk;
	WfSfiNorTxn txns[3];
} WfSfiNorInflight;

static gboolean
wf_sfi_nor_all_ff(const guint8 *data, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		if (data[i] != 0xFF)
			return FALSE;
	}
	return TRUE;
}

/*
 * One page as one batch: the data (behind a WREN byte at GPRAM 0, so the WREN
 * needs no GPRAM write of its own), WREN, RDSR, PP with just its 4 header
 * bytes rewritten, then the pacing status reads.
 */
static void
wf_sfi_nor_queue_page(WfSfiNor *self, WfSfiNorInflight *inflight, const guint8 *data)
{
	const WfSfiNorChunk *chunk = &inflight->chunk;
	const guint8 head[4] = {
		WF_SFI_NOR_CMD_PP, chunk->addr >> 16, chunk->addr >> 8, chunk->addr};
	const guint8 rdsr = WF_SFI_NOR_RDSR;
	guint32 words[1 + WF_SFI_NOR_PAGE_SIZE / 4];
	guint n;

	wf_brom_batch_reset(inflight->batch);
	wf_brom_batch_set_subject(inflight->batch, "page program", chunk->addr);
	words[0] = WF_SFI_NOR_CMD_WREN;
	n = wf_sfi_nor_pack(data + chunk->off, chunk->len, words + 1);
	wf_brom_batch_write32(inflight->batch, WF_SFI_REG_GPRAM, words, 1 + n, "PP data");
	wf_sfi_nor_queue_write_op(self,
				  inflight->batch,
				  "PP",
				  head,
				  sizeof(head),
				  4 + chunk->len,
				  TRUE,
				  inflight->txns);
	for (guint i = 0; i < self->pacing; i++) {
		WfSfiNorTxn pace;
		wf_sfi_nor_queue_txn(self, inflight->batch, "RDSR (pacing)", &rdsr, 1, 1, 1, &pace);
	}
}

/* the flash was busy when a page's WREN arrived: pace the next ones more,
 * unless it is the first collision in a long while */
static void
wf_sfi_nor_pacing_busy(WfSfiNor *self)
{
	if (self->clean_streak < WF_SFI_NOR_PACING_RECENT && self->pacing < WF_SFI_NOR_MAX_PACING)
		self->pacing++;
	self->clean_streak = 0;
	self->stats.max_pacing = MAX(self->stats.max_pacing, self->pacing);
}

/* ... and after a long clean run, try with one pacing read less */
static void
wf_sfi_nor_pacing_clean(WfSfiNor *self)
{
	if (++self->clean_streak < WF_SFI_NOR_PACING_DECAY)
		return;
	self->clean_streak = 0;
	if (self->pacing > 0)
		self->pacing--;
}

typedef struct {
	WfSfiNor *self;
	const guint8 *data;
	GQueue todo;	 /* of WfSfiNorChunk* */
	GQueue inflight; /* of WfSfiNorInflight* */
	GPtrArray *pool; /* idle batches */
	WfSfiNorPageFunc func;
	gpointer user_data;
	guint pages_done;
	guint pages_total;
} WfSfiNorProgram;

static void
wf_sfi_nor_program_clear(WfSfiNorProgram *prog)
{
	WfSfiNorInflight *inflight;

	g_queue_clear_full(&prog->todo, g_free);
	while ((inflight = g_queue_pop_head(&prog->inflight)) != NULL) {
		g_object_unref(inflight->batch);
		g_free(inflight);
	}
	g_ptr_array_unref(prog->pool);
}

static gboolean
wf_sfi_nor_program_send(WfSfiNorProgram *prog, GError **error)
{
	WfSfiNor *self = prog->self;
	WfSfiNorChunk *chunk = g_queue_pop_head(&prog->todo);
	WfSfiNorInflight *inflight = g_new0(WfSfiNorInflight, 1);

	inflight->chunk = *chunk;
	g_free(chunk);
	inflight->batch = prog->pool->len > 0
				  ? g_ptr_array_steal_index_fast(prog->pool, prog->pool->len - 1)
				  : wf_brom_batch_new(self->brom);
	wf_sfi_nor_queue_page(self, inflight, prog->data);
	g_queue_push_tail(&prog->inflight, inflight);
	self->stats.batches++;
	/* the user's cancellable is only looked at between pages */
	return wf_brom_batch_send(inflight->batch, NULL, error);
}

/* receives the oldest batch in flight; FALSE only for a fatal error */
static gboolean
wf_sfi_nor_program_receive(WfSfiNorProgram *prog, gboolean *need_idle, GError **error)
{
	WfSfiNor *self = prog->self;
	g_autoptr(GError) error_local = NULL;
	WfSfiNorInflight *inflight = g_queue_pop_head(&prog->inflight);
	WfSfiNorOutcome outcome;
	WfSfiNorChunk *chunk;

	g_ptr_array_add(prog->pool, inflight->batch);
	if (!wf_brom_batch_receive(inflight->batch, NULL, error)) {
		g_free(inflight);
		return FALSE;
	}
	outcome = wf_sfi_nor_check_write_op(self, inflight->batch, inflight->txns, &error_local);
	if (outcome == WF_SFI_NOR_OUTCOME_OK) {
		self->stats.pages_programmed++;
		prog->pages_done++;
		wf_sfi_nor_pacing_clean(self);
		if (prog->func != NULL)
			prog->func(
				inflight->chunk.addr, inflight->chunk.len, TRUE, prog->user_data);
		g_free(inflight);
		return TRUE;
	}

	/* nothing (or the same bytes once more) was programmed: send it again
	 * once the flash is idle. A WREN that found the flash busy, or one that
	 * raced with the end of the last program (WIP and WEL both clear by
	 * the time of the RDSR), both mean the pages come too close together. */
	if (outcome == WF_SFI_NOR_OUTCOME_BUSY || outcome == WF_SFI_NOR_OUTCOME_NO_WEL) {
		wf_sfi_nor_pacing_busy(self);
		inflight->chunk.idle_retries++;
	} else {
		inflight->chunk.attempts++;
	}
	self->stats.page_retries++;
	if (inflight->chunk.attempts >= WF_SFI_NOR_MAX_ATTEMPTS ||
	    inflight->chunk.idle_retries >= WF_SFI_NOR_MAX_IDLE_RETRIES) {
		g_set_error(error,
			    error_local->domain,
			    error_local->code,
			    "page program at 0x%08X: %s (tried %u times)",
			    inflight->chunk.addr,
			    error_local->message,
			    inflight->chunk.attempts + inflight->chunk.idle_retries);
		g_free(inflight);
		return FALSE;
	}
	g_debug("page program at 0x%08X: %s; sending it again",
		inflight->chunk.addr,
		error_local->message);
	chunk = g_memdup2(&inflight->chunk, sizeof(*chunk));
	g_queue_push_head(&prog->todo, chunk);
	*need_idle = TRUE;
	g_free(inflight);
	return TRUE;
}

/* splits [addr, addr+len) at page boundaries; all-0xFF pages need nothing */
static void
wf_sfi_nor_program_plan(WfSfiNorProgram *prog, guint32 addr, gsize len)
{
	gsize off = 0;

	while (off < len) {
		guint32 a = addr + (guint32)off;
		gsize n = MIN(len - off, WF_SFI_NOR_PAGE_SIZE - a % WF_SFI_NOR_PAGE_SIZE);

		prog->pages_total++;
		if (wf_sfi_nor_all_ff(prog->data + off, n)) {
			prog->self->stats.pages_skipped++;
			if (prog->func != NULL)
				prog->func(a, n, FALSE, prog->user_data);
		} else {
			WfSfiNorChunk *chunk = g_new0(WfSfiNorChunk, 1);
			chunk->addr = a;
			chunk->off = off;
			chunk->len = n;
			g_queue_push_tail(&prog->todo, chunk);
		}
		off += n;
	}
}

/* a page that had to be sent again goes alone: nothing queued behind it can
 * reach the flash while it is still programming */
static guint
wf_sfi_nor_program_depth(WfSfiNorProgram *prog)
{
	const WfSfiNorChunk *next = g_queue_peek_head(&prog->todo);

	if (next != NULL && (next->attempts > 0 || next->idle_retries > 0))
		return 1;
	return prog->self->depth;
}

static gboolean
wf_sfi_nor_program_loop(WfSfiNorProgram *prog, GCancellable *cancellable, GError **error)
{
	WfSfiNor *self = prog->self;
	gboolean need_idle = FALSE;

	for (;;) {
		gboolean cancelled = g_cancellable_is_cancelled(cancellable);

		/* keep the pipe full, unless a retry first needs an idle flash */
		while (!cancelled && !need_idle && prog->todo.length > 0 &&
		       prog->inflight.length < wf_sfi_nor_program_depth(prog)) {
			if (!wf_sfi_nor_program_send(prog, error))
				return FALSE;
		}
		if (prog->inflight.length == 0) {
			if (cancelled || prog->todo.length == 0)
				return TRUE;
			if (!wf_sfi_nor_wait_idle(
				    self, WF_SFI_NOR_OP_PAGE_PROGRAM, 0, NULL, NULL, error))
				return FALSE;
			need_idle = FALSE;
			continue;
		}
		if (!wf_sfi_nor_program_receive(prog, &need_idle, error)) {
			/* answers of batches still on the wire would be read as the
			 * answers of whatever comes next: let them arrive and drop them */
			if (prog->inflight.length > 0)
				wf_brom_batch_drain(self->brom);
			return FALSE;
		}
	}
}

/**
 * wf_sfi_nor_program:
 * @self: a #WfSfiNor
 * @addr: flash offset of @data[0]
 * @data: bytes to program into erased (or bit-compatible) flash
 * @len: how many
 * @func: (nullable): called for every page, in completion order
 * @user_data: data for @func
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * Programs @data page by page, keeping up to the configured depth of page
 * batches in flight. Pages that are all 0xFF are skipped: programming 0xFF
 * changes nothing. Cancellation is looked at between pages: the pages in
 * flight are finished, the flash is left idle and %G_IO_ERROR_CANCELLED says
 * how far it got (@func has been told about every page done).
 */
gboolean
wf_sfi_nor_program(WfSfiNor *self,
		   guint32 addr,
		   const guint8 *data,
		   gsize len,
		   WfSfiNorPageFunc func,
		   gpointer user_data,
		   GCancellable *cancellable,
		   GError **error)
{
	WfSfiNorProgram prog = {
		.self = self,
		.data = data,
		.func = func,
		.user_data = user_data,
	};
	g_autoptr(GError) error_local = NULL;
	gboolean ok;

	g_return_val_if_fail(WF_IS_SFI_NOR(self), FALSE);
	g_return_val_if_fail(data != NULL || len == 0, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if ((guint64)addr + len > 0x1000000) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "cannot program %" G_GSIZE_FORMAT " bytes at 0x%08X: past the 16 MiB "
			    "that 3-byte addresses reach",
			    len,
			    addr);
		return FALSE;
	}
	g_queue_init(&prog.todo);
	g_queue_init(&prog.inflight);
	prog.pool = g_ptr_array_new_with_free_func(g_object_unref);
	wf_sfi_nor_program_plan(&prog, addr, len);
	ok = wf_sfi_nor_ensure_ctrl(self, NULL, &error_local) &&
	     wf_sfi_nor_wait_idle(self, WF_SFI_NOR_OP_ANY, addr, NULL, NULL, &error_local) &&
	     wf_sfi_nor_program_loop(&prog, cancellable, &error_local) &&
	     wf_sfi_nor_wait_idle(self, WF_SFI_NOR_OP_PAGE_PROGRAM, addr, NULL, NULL, &error_local);
	if (!ok) {
		wf_sfi_nor_add_safe_note(self, &error_local);
		g_propagate_error(error, g_steal_pointer(&error_local));
	}
	if (ok && prog.todo.length > 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_CANCELLED,
			    "cancelled after programming %u of the %u pages at 0x%08X–0x%08X",
			    prog.pages_done,
			    prog.pages_done + prog.todo.length,
			    addr,
			    addr + (guint32)len - 1);
		ok = FALSE;
	}
	wf_sfi_nor_program_clear(&prog);
	return ok;
}

/* ------------------------------------------------------------------------ */
/* reading */

static gboolean
wf_sfi_nor_read_batch(WfSfiNor *self,
		      guint32 addr,
		      guint8 *buf,
		      gsize len,
		      GCancellable *cancellable,
		      GError **error)
{
	WfSfiNorTxn txns[WF_SFI_NOR_READ_TXNS_PER_BATCH];

	for (guint attempt = 1;; attempt++) {
		g_autoptr(GError) error_local = NULL;
		gboolean slow = FALSE;
		guint n = 0;
		gboolean ok = TRUE;

		wf_brom_batch_reset(self->batch);
		wf_brom_batch_set_subject(self->batch, "read (03)", addr);
		for (gsize off = 0; off < len; off += WF_SFI_NOR_READ_CHUNK, n++) {
			guint32 a = addr + (guint32)off;
			const guint8 tx[4] = {WF_SFI_NOR_CMD_READ, a >> 16, a >> 8, a};
			wf_sfi_nor_queue_txn(self,
					     self->batch,
					     "READ",
					     tx,
					     4,
					     4,
					     MIN(len - off, WF_SFI_NOR_READ_CHUNK),
					     &txns[n]);
		}
		if (!wf_sfi_nor_run_batch(self, self->batch, cancellable, error))
			return FALSE;
		for (guint i = 0; i < n && ok; i++) {
			ok = wf_sfi_nor_check_txn(self->batch,
						  &txns[i],
						  buf + (gsize)i * WF_SFI_NOR_READ_CHUNK,
						  &slow,
						  &error_local);
		}
		if (ok)
			return TRUE;
		if (slow)
			wf_sfi_nor_note_slow(self);
		if (attempt >= WF_SFI_NOR_MAX_ATTEMPTS) {
			g_prefix_error(&error_local, "read (03) at 0x%08X: ", addr);
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
	}
}

/**
 * wf_sfi_nor_read:
 * @self: a #WfSfiNor
 * @addr: flash offset
 * @buf: (out): @len bytes
 * @len: how many
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * 03 READ through the controller: a second read path that does not go
 * through the memory-mapped window (and whatever it caches).
 */
gboolean
wf_sfi_nor_read(WfSfiNor *self,
		guint32 addr,
		guint8 *buf,
		gsize len,
		GCancellable *cancellable,
		GError **error)
{
	const gsize per_batch = (gsize)WF_SFI_NOR_READ_CHUNK * WF_SFI_NOR_READ_TXNS_PER_BATCH;

	g_return_val_if_fail(WF_IS_SFI_NOR(self), FALSE);
	g_return_val_if_fail(buf != NULL || len == 0, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!wf_sfi_nor_ensure_ctrl(self, cancellable, error))
		return FALSE;
	/* a busy flash ignores the read command */
	if (!wf_sfi_nor_wait_idle(self, WF_SFI_NOR_OP_ANY, addr, NULL, cancellable, error))
		return FALSE;
	for (gsize off = 0; off < len; off += per_batch) {
		if (!wf_sfi_nor_read_batch(self,
					   addr + (guint32)off,
					   buf + off,
					   MIN(len - off, per_batch),
					   cancellable,
					   error))
			return FALSE;
	}
	return TRUE;
}

/**
 * wf_sfi_nor_make_safe:
 * @self: a #WfSfiNor
 *
 * After something went wrong: waits for the flash to be idle and clears the
 * write-enable latch, so nothing is left half-set.
 *
 * Returns: (transfer full): one sentence saying in which state the flash is
 */
gchar *
wf_sfi_nor_make_safe(WfSfiNor *self)
{
	g_autoptr(GError) error_local = NULL;
	guint8 sr = 0;

	g_return_val_if_fail(WF_IS_SFI_NOR(self), NULL);

	if (!wf_sfi_nor_wait_idle(self, WF_SFI_NOR_OP_ANY, 0, &sr, NULL, &error_local)) {
		return g_strdup_printf("the flash's state is unknown (%s); the watch stays in "
				       "boot-ROM mode, so it can still be restored",
				       error_local->message);
	}
	if ((sr & WF_SFI_NOR_SR_WEL) != 0 &&
	    (!wf_sfi_nor_write_disable(self, NULL, &error_local) ||
	     !wf_sfi_nor_read_status(self, &sr, NULL, &error_local))) {
		return g_strdup_printf("the flash is idle but its write-enable latch could not "
				       "be cleared (%s)",
				       error_local->message);
	}
	return g_strdup_printf("the flash is idle and write-disabled (status 0x%02X)", sr);
}
