/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-sfi.h"

#include <string.h>

#include "wf-error.h"

struct _WfSfi {
	GObject parent_instance;
	WfBrom *brom;
	guint max_polls;
};

G_DEFINE_FINAL_TYPE(WfSfi, wf_sfi, G_TYPE_OBJECT)

/* GPRAM holds bytes packed little-endian into 32-bit words */
static void
wf_sfi_pack(const guint8 *bytes, gsize len, guint32 *words)
{
	for (gsize i = 0; i < len; i++) {
		if (i % 4 == 0)
			words[i / 4] = 0;
		words[i / 4] |= (guint32)bytes[i] << (8 * (i % 4));
	}
}

/*
 * Reads @reg until (value & @mask) == @want, at most max_polls times. Each
 * read is a boot-ROM round trip, which is also the pacing.
 */
static gboolean
wf_sfi_wait(WfSfi *self,
	    guint32 reg,
	    guint32 mask,
	    guint32 want,
	    const gchar *what,
	    guint32 *value,
	    GCancellable *cancellable,
	    GError **error)
{
	guint32 val = 0;

	for (guint i = 0; i < self->max_polls; i++) {
		if (!wf_brom_read32(self->brom, reg, &val, 1, cancellable, error)) {
			g_prefix_error(error, "SFI: waiting for %s: ", what);
			return FALSE;
		}
		if ((val & mask) == want) {
			if (value != NULL)
				*value = val;
			return TRUE;
		}
	}
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_TIMED_OUT,
		    "SFI: the flash controller did not report %s: 0x%08X bit %u stayed %s after "
		    "%u reads (last value 0x%08X)",
		    what,
		    reg,
		    (guint)g_bit_nth_lsf(mask, -1),
		    want != 0 ? "0" : "1",
		    self->max_polls,
		    val);
	return FALSE;
}

static gboolean
wf_sfi_write_reg(WfSfi *self,
		 guint32 reg,
		 const guint32 *values,
		 guint32 count,
		 GCancellable *cancellable,
		 GError **error)
{
	if (wf_brom_write32(self->brom, reg, values, count, cancellable, error))
		return TRUE;
	g_prefix_error(error, "SFI: ");
	return FALSE;
}

static gboolean
wf_sfi_read_reply(WfSfi *self,
		  gsize txlen,
		  guint8 *rx,
		  gsize rxlen,
		  GCancellable *cancellable,
		  GError **error)
{
	/* the reply starts right after the sent bytes, maybe mid-word */
	gsize skip = txlen % 4;
	guint32 first_addr = WF_SFI_REG_GPRAM + (guint32)(txlen - skip);
	guint32 n_words = (guint32)((skip + rxlen + 3) / 4);
	g_autofree guint32 *words = g_new0(guint32, n_words);

	if (!wf_brom_read32(self->brom, first_addr, words, n_words, cancellable, error)) {
		g_prefix_error(error, "SFI: reading the reply: ");
		return FALSE;
	}
	for (gsize i = 0; i < rxlen; i++) {
		gsize pos = skip + i;
		rx[i] = (guint8)(words[pos / 4] >> (8 * (pos % 4)));
	}
	return TRUE;
}

/**
 * wf_sfi_transact:
 * @self: a #WfSfi
 * @tx: command, address and data bytes
 * @txlen: how many, at least 1
 * @rx: (out) (nullable): where the flash's reply goes
 * @rxlen: how many bytes to clock in after @tx
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * One SPI transaction, in the order of protocol.md §3.11: GPRAM, lengths,
 * wait ready, macro mode + start, wait macro active, wait not busy, back to
 * memory-mapped mode, read the reply.
 */
gboolean
wf_sfi_transact(WfSfi *self,
		const guint8 *tx,
		gsize txlen,
		guint8 *rx,
		gsize rxlen,
		GCancellable *cancellable,
		GError **error)
{
	guint32 gpram[(WF_SFI_MAX_TRANSFER + 3) / 4];
	guint32 lens[2];
	guint32 control = 0;

	g_return_val_if_fail(WF_IS_SFI(self), FALSE);
	g_return_val_if_fail(tx != NULL && txlen > 0, FALSE);
	g_return_val_if_fail(rx != NULL || rxlen == 0, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (txlen + rxlen > WF_SFI_MAX_TRANSFER) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "SFI: a transaction of %" G_GSIZE_FORMAT " bytes is longer than the "
			    "%u the controller buffer holds",
			    txlen + rxlen,
			    (guint)WF_SFI_MAX_TRANSFER);
		return FALSE;
	}
	wf_sfi_pack(tx, txlen, gpram);
	if (!wf_sfi_write_reg(
		    self, WF_SFI_REG_GPRAM, gpram, (guint32)((txlen + 3) / 4), cancellable, error))
		return FALSE;
	lens[0] = (guint32)txlen;
	lens[1] = (guint32)rxlen;
	if (!wf_sfi_write_reg(self, WF_SFI_REG_SEND_LEN, lens, 2, cancellable, error))
		return FALSE;
	if (!wf_sfi_wait(self,
			 WF_SFI_REG_STATUS,
			 WF_SFI_STATUS_READY,
			 WF_SFI_STATUS_READY,
			 "ready",
			 NULL,
			 cancellable,
			 error))
		return FALSE;
	if (!wf_brom_read32(self->brom, WF_SFI_REG_CONTROL, &control, 1, cancellable, error)) {
		g_prefix_error(error, "SFI: ");
		return FALSE;
	}
	/* macro (command) mode + start, plain SPI rather than QPI */
	control = (control | WF_SFI_CONTROL_MACRO | WF_SFI_CONTROL_START) & ~WF_SFI_CONTROL_QPI;
	if (!wf_sfi_write_reg(self, WF_SFI_REG_CONTROL, &control, 1, cancellable, error))
		return FALSE;
	if (!wf_sfi_wait(self,
			 WF_SFI_REG_CONTROL,
			 WF_SFI_CONTROL_MACRO_ACTIVE,
			 WF_SFI_CONTROL_MACRO_ACTIVE,
			 "macro mode active",
			 NULL,
			 cancellable,
			 error))
		return FALSE;
	if (!wf_sfi_wait(self,
			 WF_SFI_REG_CONTROL,
			 WF_SFI_CONTROL_BUSY,
			 0,
			 "transaction done",
			 &control,
			 cancellable,
			 error))
		return FALSE;
	/* read-modify-write on the value just read: nothing changed it since */
	control &= ~(guint32)(WF_SFI_CONTROL_QPI | WF_SFI_CONTROL_MACRO | WF_SFI_CONTROL_START);
	if (!wf_sfi_write_reg(self, WF_SFI_REG_CONTROL, &control, 1, cancellable, error))
		return FALSE;
	if (rxlen == 0)
		return TRUE;
	return wf_sfi_read_reply(self, txlen, rx, rxlen, cancellable, error);
}

/**
 * wf_sfi_read_jedec_id:
 * @self: a #WfSfi
 * @id: (out): manufacturer, memory type, capacity code
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * 9F RDID.
 */
gboolean
wf_sfi_read_jedec_id(WfSfi *self, guint8 id[3], GCancellable *cancellable, GError **error)
{
	const guint8 cmd = WF_SFI_NOR_RDID;

	g_return_val_if_fail(WF_IS_SFI(self), FALSE);
	g_return_val_if_fail(id != NULL, FALSE);
	return wf_sfi_transact(self, &cmd, 1, id, 3, cancellable, error);
}

/**
 * wf_sfi_read_status:
 * @self: a #WfSfi
 * @status: (out): bit0 WIP, bit1 WEL, bits 2–5 block protect
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * 05 RDSR.
 */
gboolean
wf_sfi_read_status(WfSfi *self, guint8 *status, GCancellable *cancellable, GError **error)
{
	const guint8 cmd = WF_SFI_NOR_RDSR;

	g_return_val_if_fail(WF_IS_SFI(self), FALSE);
	g_return_val_if_fail(status != NULL, FALSE);
	return wf_sfi_transact(self, &cmd, 1, status, 1, cancellable, error);
}

static void
wf_sfi_finalize(GObject *object)
{
	WfSfi *self = WF_SFI(object);

	g_clear_object(&self->brom);
	G_OBJECT_CLASS(wf_sfi_parent_class)->finalize(object);
}

static void
wf_sfi_class_init(WfSfiClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_sfi_finalize;
}

static void
wf_sfi_init(WfSfi *self)
{
	self->max_polls = WF_SFI_DEFAULT_MAX_POLLS;
}

/**
 * wf_sfi_new:
 * @brom: a handshaken #WfBrom
 *
 * Returns: (transfer full): a #WfSfi
 */
WfSfi *
wf_sfi_new(WfBrom *brom)
{
	WfSfi *self;

	g_return_val_if_fail(WF_IS_BROM(brom), NULL);
	self = g_object_new(WF_TYPE_SFI, NULL);
	self->brom = g_object_ref(brom);
	return self;
}

WfBrom *
wf_sfi_get_brom(WfSfi *self)
{
	g_return_val_if_fail(WF_IS_SFI(self), NULL);
	return self->brom;
}

/**
 * wf_sfi_set_max_polls:
 * @self: a #WfSfi
 * @max_polls: register reads per wait before giving up, at least 1
 */
void
wf_sfi_set_max_polls(WfSfi *self, guint max_polls)
{
	g_return_if_fail(WF_IS_SFI(self));
	g_return_if_fail(max_polls > 0);
	self->max_polls = max_polls;
}
