/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-sim-sfi.h"

#include <string.h>

/*
 * The serial-flash interface controller at 0xA0140000 (protocol.md §3.11).
 *
 * The real controller finishes a transaction in microseconds, long before a
 * host talking through BROM register commands could look. To make the
 * documented waits matter (and a host that skips them notice), the model is
 * deterministic and strict:
 *
 *  - writing control with macro (bit3) and start (bit2) starts a transaction;
 *  - the first read of control after that shows busy (bit0) and macro
 *    active (bit1); the transaction runs right after that read, so from the
 *    second read on busy is clear and the received bytes are in GPRAM;
 *  - a host that reads GPRAM before it has seen busy reads stale bytes, and
 *    one that rewrites control before it has looked at all aborts the
 *    transaction (the flash never sees it);
 *  - bit1 follows bit3 but stays set for one more read after bit3 is
 *    cleared, as "waits until bits 1 and 3 read 0" expects;
 *  - status bit8 (ready) is clear while a transaction is pending.
 *
 * QPI (bit4) is stored but does not change the transaction: the mediatek_flash
 * payload, tested on real watches, starts plain SPI commands with 0x1C [I].
 */

struct _WfSimSfi {
	GObject parent_instance;
	WfSimFlash *flash;
	guint32 control; /* bits the host wrote (bit0/1 are read-only) */
	gboolean active; /* bit1 */
	gboolean pending;
	guint aborted;
	GHashTable *regs; /* other offsets → value */
	guint8 gpram[WF_SIM_SFI_GPRAM_SIZE];
};

G_DEFINE_FINAL_TYPE(WfSimSfi, wf_sim_sfi, G_TYPE_OBJECT)

static void
wf_sim_sfi_finalize(GObject *object)
{
	WfSimSfi *self = WF_SIM_SFI(object);

	g_clear_object(&self->flash);
	g_hash_table_unref(self->regs);
	G_OBJECT_CLASS(wf_sim_sfi_parent_class)->finalize(object);
}

static void
wf_sim_sfi_class_init(WfSimSfiClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_sim_sfi_finalize;
}

static void
wf_sim_sfi_init(WfSimSfi *self)
{
	self->regs = g_hash_table_new(g_direct_hash, g_direct_equal);
}

/**
 * wf_sim_sfi_new:
 * @flash: the part wired to the controller
 */
WfSimSfi *
wf_sim_sfi_new(WfSimFlash *flash)
{
	WfSimSfi *self;

	g_return_val_if_fail(WF_IS_SIM_FLASH(flash), NULL);
	self = g_object_new(WF_TYPE_SIM_SFI, NULL);
	self->flash = g_object_ref(flash);
	return self;
}

static guint32
wf_sim_sfi_reg(WfSimSfi *self, guint32 offset)
{
	return GPOINTER_TO_UINT(g_hash_table_lookup(self->regs, GUINT_TO_POINTER(offset)));
}

static void
wf_sim_sfi_run(WfSimSfi *self)
{
	gsize send_len = MIN(wf_sim_sfi_reg(self, WF_SIM_SFI_REG_SEND_LEN), WF_SIM_SFI_GPRAM_SIZE);
	gsize recv_len = MIN(wf_sim_sfi_reg(self, WF_SIM_SFI_REG_RECV_LEN),
			     WF_SIM_SFI_GPRAM_SIZE - send_len);
	guint8 tx[WF_SIM_SFI_GPRAM_SIZE];

	/* a copy, because the reply overwrites GPRAM after the sent bytes */
	memcpy(tx, self->gpram, send_len);
	wf_sim_flash_transaction(self->flash, tx, send_len, self->gpram + send_len, recv_len);
	g_debug("SFI: ran 0x%02X, %zu out, %zu in", send_len > 0 ? tx[0] : 0, send_len, recv_len);
}

static guint32
wf_sim_sfi_read_control(WfSimSfi *self)
{
	guint32 value = self->control & ~(guint32)(WF_SIM_SFI_CTRL_BUSY | WF_SIM_SFI_CTRL_ACTIVE);

	if (self->active)
		value |= WF_SIM_SFI_CTRL_ACTIVE;
	if (self->pending) {
		value |= WF_SIM_SFI_CTRL_BUSY;
		self->pending = FALSE;
		wf_sim_sfi_run(self);
	} else if ((self->control & WF_SIM_SFI_CTRL_MACRO) == 0) {
		self->active = FALSE; /* this read was the last to show it */
	}
	return value;
}

static void
wf_sim_sfi_write_control(WfSimSfi *self, guint32 value)
{
	if (self->pending) {
		g_debug("SFI: control rewritten before the host looked at busy: "
			"transaction aborted");
		self->pending = FALSE;
		self->aborted++;
	}
	self->control = value & ~(guint32)(WF_SIM_SFI_CTRL_BUSY | WF_SIM_SFI_CTRL_ACTIVE);
	if (value & WF_SIM_SFI_CTRL_MACRO)
		self->active = TRUE;
	if ((value & (WF_SIM_SFI_CTRL_MACRO | WF_SIM_SFI_CTRL_START)) ==
	    (WF_SIM_SFI_CTRL_MACRO | WF_SIM_SFI_CTRL_START))
		self->pending = TRUE;
}

/**
 * wf_sim_sfi_read32:
 * @self: a #WfSimSfi
 * @offset: 4-aligned offset inside the register block
 *
 * Returns: the register as the bus sees it (reading control has side effects)
 */
guint32
wf_sim_sfi_read32(WfSimSfi *self, guint32 offset)
{
	g_return_val_if_fail(WF_IS_SIM_SFI(self), 0);

	offset &= (WF_SIM_SFI_SIZE - 1) & ~3u;
	if (offset == WF_SIM_SFI_REG_CONTROL)
		return wf_sim_sfi_read_control(self);
	if (offset == WF_SIM_SFI_REG_STATUS)
		return self->pending ? 0 : WF_SIM_SFI_STATUS_READY;
	if (offset >= WF_SIM_SFI_GPRAM && offset < WF_SIM_SFI_GPRAM + WF_SIM_SFI_GPRAM_SIZE) {
		const guint8 *p = self->gpram + (offset - WF_SIM_SFI_GPRAM);
		return (guint32)p[0] | ((guint32)p[1] << 8) | ((guint32)p[2] << 16) |
		       ((guint32)p[3] << 24);
	}
	return wf_sim_sfi_reg(self, offset);
}

/**
 * wf_sim_sfi_write32:
 * @self: a #WfSimSfi
 * @offset: 4-aligned offset inside the register block
 * @value: the new value
 */
void
wf_sim_sfi_write32(WfSimSfi *self, guint32 offset, guint32 value)
{
	g_return_if_fail(WF_IS_SIM_SFI(self));

	offset &= (WF_SIM_SFI_SIZE - 1) & ~3u;
	if (offset == WF_SIM_SFI_REG_CONTROL) {
		wf_sim_sfi_write_control(self, value);
		return;
	}
	if (offset == WF_SIM_SFI_REG_STATUS)
		return; /* read-only */
	if (offset >= WF_SIM_SFI_GPRAM && offset < WF_SIM_SFI_GPRAM + WF_SIM_SFI_GPRAM_SIZE) {
		guint8 *p = self->gpram + (offset - WF_SIM_SFI_GPRAM);
		p[0] = value & 0xFF;
		p[1] = (value >> 8) & 0xFF;
		p[2] = (value >> 16) & 0xFF;
		p[3] = (value >> 24) & 0xFF;
		return;
	}
	g_hash_table_insert(self->regs, GUINT_TO_POINTER(offset), GUINT_TO_POINTER(value));
}

/**
 * wf_sim_sfi_get_aborted_count:
 * @self: a #WfSimSfi
 *
 * Returns: transactions a host abandoned without waiting for them
 */
guint
wf_sim_sfi_get_aborted_count(WfSimSfi *self)
{
	g_return_val_if_fail(WF_IS_SIM_SFI(self), 0);
	return self->aborted;
}
