/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-sim-memory.h"

#include <string.h>

/*
 * The chip's bus as the BROM's READ/WRITE commands and SEND_DA see it
 * (protocol.md §3.6–§3.8). One instance lives from power-on to the next
 * reset or power loss; only the flash outlives it.
 *
 *   0x00000000 bank 0  remap 2: the flash (read-only, mirrored at its size)
 *                      otherwise: PSRAM (4 MiB, mirrored)
 *   0x10000000 bank 1  the other one of the two
 *   0x70000000         SRAM, 0xD000 bytes
 *   0x80000000         chip identification block
 *   0xA0000000         peripherals: a register file with the read-back values
 *                      of §3.7 plus SFI, watchdog, reset, remap, PMU, RTC
 *   anything else      reads 0, writes are ignored [I]
 *
 * Remap values other than 2 (0, 1, 3) all put PSRAM in bank 0 [I: only 2 and
 * 3 are documented].
 */

static const WfSimChip wf_sim_chips[] = {
	/* protocol.md §3.6, PCAP [W] */
	{"mt6261", 0xCB01, 0x0001, 0x6261, 0x8000, 0x35C00000},
	/* hw code 0x6260 [C]; the other values are guesses [I] */
	{"mt6260", 0xCA00, 0x0001, 0x6260, 0x8000, 0x00000000},
};

/* read-back values before any write, protocol.md §3.7 (from the capture) */
static const struct {
	guint32 addr;
	guint32 value;
} wf_sim_reg_defaults[] = {
	{0xA0700A24, 0x0010},
	{0xA0700A14, 0x6101},
	{0xA0700A08, 0x000F},
	{0xA0700A00, 0xF262},
	{0xA0700A28, 0x0010},
	{0xA0710000, 0x0005},
	{0xA0710050, 0xFF5F},
	{0xA0710054, 0xFDDE},
	{0xA0510000, 0x0000},
};

struct _WfSimMemory {
	GObject parent_instance;
	const WfSimChip *chip;
	WfSimFlash *flash;
	WfSimSfi *sfi;
	guint8 sram[WF_SIM_SRAM_SIZE];
	guint8 *psram; /* allocated on the first write */
	GHashTable *regs;
	gboolean reset_requested;
	gint64 charger_kick_time;
};

G_DEFINE_FINAL_TYPE(WfSimMemory, wf_sim_memory, G_TYPE_OBJECT)

/**
 * wf_sim_chip_lookup:
 * @name: "mt6261" or "mt6260" (case-insensitive)
 *
 * Returns: the chip, or %NULL if unknown
 */
const WfSimChip *
wf_sim_chip_lookup(const gchar *name)
{
	if (name == NULL)
		return NULL;
	for (guint i = 0; i < G_N_ELEMENTS(wf_sim_chips); i++) {
		if (g_ascii_strcasecmp(wf_sim_chips[i].name, name) == 0)
			return &wf_sim_chips[i];
	}
	return NULL;
}

static void
wf_sim_memory_finalize(GObject *object)
{
	WfSimMemory *self = WF_SIM_MEMORY(object);

	g_clear_object(&self->sfi);
	g_clear_object(&self->flash);
	g_free(self->psram);
	g_hash_table_unref(self->regs);
	G_OBJECT_CLASS(wf_sim_memory_parent_class)->finalize(object);
}

static void
wf_sim_memory_class_init(WfSimMemoryClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_sim_memory_finalize;
}

static void
wf_sim_memory_init(WfSimMemory *self)
{
	self->regs = g_hash_table_new(g_direct_hash, g_direct_equal);
	self->charger_kick_time = -1;
	for (guint i = 0; i < G_N_ELEMENTS(wf_sim_reg_defaults); i++)
		g_hash_table_insert(self->regs,
				    GUINT_TO_POINTER(wf_sim_reg_defaults[i].addr),
				    GUINT_TO_POINTER(wf_sim_reg_defaults[i].value));
}

/**
 * wf_sim_memory_new:
 * @flash: the serial NOR
 * @chip: the chip's identity
 *
 * The bus right after power-on.
 */
WfSimMemory *
wf_sim_memory_new(WfSimFlash *flash, const WfSimChip *chip)
{
	WfSimMemory *self;

	g_return_val_if_fail(WF_IS_SIM_FLASH(flash), NULL);
	g_return_val_if_fail(chip != NULL, NULL);

	self = g_object_new(WF_TYPE_SIM_MEMORY, NULL);
	self->chip = chip;
	self->flash = g_object_ref(flash);
	self->sfi = wf_sim_sfi_new(flash);
	return self;
}

/**
 * wf_sim_memory_get_flash:
 * @self: a #WfSimMemory
 *
 * Returns: (transfer none): the NOR
 */
WfSimFlash *
wf_sim_memory_get_flash(WfSimMemory *self)
{
	g_return_val_if_fail(WF_IS_SIM_MEMORY(self), NULL);
	return self->flash;
}

/**
 * wf_sim_memory_get_sfi:
 * @self: a #WfSimMemory
 *
 * Returns: (transfer none): the SFI controller
 */
WfSimSfi *
wf_sim_memory_get_sfi(WfSimMemory *self)
{
	g_return_val_if_fail(WF_IS_SIM_MEMORY(self), NULL);
	return self->sfi;
}

/**
 * wf_sim_memory_get_chip:
 * @self: a #WfSimMemory
 */
const WfSimChip *
wf_sim_memory_get_chip(WfSimMemory *self)
{
	g_return_val_if_fail(WF_IS_SIM_MEMORY(self), NULL);
	return self->chip;
}

static guint32
wf_sim_memory_reg(WfSimMemory *self, guint32 addr)
{
	return GPOINTER_TO_UINT(g_hash_table_lookup(self->regs, GUINT_TO_POINTER(addr)));
}

static void
wf_sim_memory_set_reg(WfSimMemory *self, guint32 addr, guint32 value)
{
	g_hash_table_insert(self->regs, GUINT_TO_POINTER(addr), GUINT_TO_POINTER(value));
}

/**
 * wf_sim_memory_get_remap:
 * @self: a #WfSimMemory
 *
 * Returns: the remap mode, bits 0–1 of 0xA0510000
 */
guint32
wf_sim_memory_get_remap(WfSimMemory *self)
{
	g_return_val_if_fail(WF_IS_SIM_MEMORY(self), 0);
	return wf_sim_memory_reg(self, WF_SIM_REG_REMAP) & 3;
}

typedef enum {
	WF_SIM_REGION_NONE,
	WF_SIM_REGION_FLASH,
	WF_SIM_REGION_PSRAM,
	WF_SIM_REGION_SRAM,
	WF_SIM_REGION_CHIPID,
	WF_SIM_REGION_PERIPH,
} WfSimRegion;

/* which region @addr falls in; @offset is the offset inside it and @room how
 * many bytes from @addr on stay in the same region (and mirror) */
static WfSimRegion
wf_sim_memory_resolve(WfSimMemory *self, guint32 addr, gsize *offset, gsize *room)
{
	if (addr < 2 * WF_SIM_BANK_SIZE) {
		gboolean bank1 = addr >= WF_SIM_BANK_SIZE;
		gboolean flash_at_0 = wf_sim_memory_get_remap(self) == WF_SIM_REMAP_FLASH_AT_0;
		gsize size = bank1 == flash_at_0 ? WF_SIM_PSRAM_SIZE
						 : wf_sim_flash_get_size(self->flash);
		*offset = addr & (size - 1);
		*room = size - *offset;
		return bank1 == flash_at_0 ? WF_SIM_REGION_PSRAM : WF_SIM_REGION_FLASH;
	}
	if (addr >= WF_SIM_SRAM_BASE && addr < WF_SIM_SRAM_BASE + WF_SIM_SRAM_SIZE) {
		*offset = addr - WF_SIM_SRAM_BASE;
		*room = WF_SIM_SRAM_SIZE - *offset;
		return WF_SIM_REGION_SRAM;
	}
	if (addr >= WF_SIM_CHIPID_BASE && addr < WF_SIM_CHIPID_BASE + 16) {
		*offset = addr - WF_SIM_CHIPID_BASE;
		*room = 16 - *offset;
		return WF_SIM_REGION_CHIPID;
	}
	if (addr >= WF_SIM_PERIPH_BASE && addr <= WF_SIM_PERIPH_END) {
		*offset = addr - WF_SIM_PERIPH_BASE;
		*room = 4 - (addr & 3);
		return WF_SIM_REGION_PERIPH;
	}
	*offset = 0;
	*room = 1;
	return WF_SIM_REGION_NONE;
}

static guint32
wf_sim_memory_le32(const guint8 *p)
{
	return (guint32)p[0] | ((guint32)p[1] << 8) | ((guint32)p[2] << 16) | ((guint32)p[3] << 24);
}

static guint32
wf_sim_memory_chipid_word(WfSimMemory *self, gsize offset)
{
	switch (offset & ~(gsize)3) {
	case 0x0:
		return self->chip->hw_version;
	case 0x4:
		return self->chip->sw_version;
	case 0x8:
		return self->chip->hw_code;
	default:
		return self->chip->hw_subcode;
	}
}

static guint32
wf_sim_memory_periph_read32(WfSimMemory *self, guint32 addr)
{
	if (addr >= WF_SIM_SFI_BASE && addr < WF_SIM_SFI_BASE + WF_SIM_SFI_SIZE)
		return wf_sim_sfi_read32(self->sfi, addr - WF_SIM_SFI_BASE);
	if (addr == WF_SIM_REG_EFUSE_108)
		return self->chip->efuse_108;
	if (addr == WF_SIM_REG_WDT_SWRST)
		return 0;
	return wf_sim_memory_reg(self, addr);
}

static void
wf_sim_memory_periph_write32(WfSimMemory *self, guint32 addr, guint32 value)
{
	if (addr >= WF_SIM_SFI_BASE && addr < WF_SIM_SFI_BASE + WF_SIM_SFI_SIZE) {
		wf_sim_sfi_write32(self->sfi, addr - WF_SIM_SFI_BASE, value);
		return;
	}
	switch (addr) {
	case WF_SIM_REG_EFUSE_108:
		return; /* fuses are read-only */
	case WF_SIM_REG_WDT_SWRST:
		if ((value & 0xFFFF) == WF_SIM_SWRST_KEY) {
			g_debug("memory: software reset requested");
			self->reset_requested = TRUE;
		}
		return;
	case WF_SIM_REG_CHARGER_WDT:
		self->charger_kick_time = g_get_monotonic_time();
		break;
	case WF_SIM_REG_PMU_A14:
		/* the capture reads 0x6009 after writing 0x6001: bit 3 is a status
		 * bit the PMU sets [I] */
		value |= 0x0008;
		break;
	case WF_SIM_REG_RTC_BBPU:
		/* BBPU takes writes only with its key 0x43 in the high byte and
		 * reads back the low byte (0x430E → 0x000E in the capture) [I] */
		if ((value & 0xFF00) != 0x4300)
			return;
		value &= 0x00FF;
		break;
	default:
		break;
	}
	wf_sim_memory_set_reg(self, addr, value);
}

static guint8 *
wf_sim_memory_psram(WfSimMemory *self)
{
	if (self->psram == NULL)
		self->psram = g_malloc0(WF_SIM_PSRAM_SIZE);
	return self->psram;
}

/**
 * wf_sim_memory_read32:
 * @self: a #WfSimMemory
 * @addr: a bus address; the low two bits are ignored
 *
 * Returns: the little-endian word at @addr (reading some peripheral
 *   registers has side effects, as on the chip)
 */
guint32
wf_sim_memory_read32(WfSimMemory *self, guint32 addr)
{
	gsize offset = 0, room = 0;

	g_return_val_if_fail(WF_IS_SIM_MEMORY(self), 0);

	addr &= ~3u;
	switch (wf_sim_memory_resolve(self, addr, &offset, &room)) {
	case WF_SIM_REGION_FLASH:
		return wf_sim_flash_read_mapped32(self->flash, (guint32)offset);
	case WF_SIM_REGION_PSRAM:
		return self->psram != NULL ? wf_sim_memory_le32(self->psram + offset) : 0;
	case WF_SIM_REGION_SRAM:
		return wf_sim_memory_le32(self->sram + offset);
	case WF_SIM_REGION_CHIPID:
		return wf_sim_memory_chipid_word(self, offset);
	case WF_SIM_REGION_PERIPH:
		return wf_sim_memory_periph_read32(self, addr);
	case WF_SIM_REGION_NONE:
	default:
		return 0;
	}
}

/**
 * wf_sim_memory_read16:
 * @self: a #WfSimMemory
 * @addr: a bus address; bit 0 is ignored
 *
 * Returns: the little-endian half-word at @addr
 */
guint16
wf_sim_memory_read16(WfSimMemory *self, guint32 addr)
{
	g_return_val_if_fail(WF_IS_SIM_MEMORY(self), 0);
	return (guint16)(wf_sim_memory_read32(self, addr) >> ((addr & 2) * 8));
}

static void
wf_sim_memory_store(WfSimMemory *self, guint32 addr, const guint8 *buf, gsize len)
{
	gsize done = 0;

	while (done < len) {
		guint32 a = addr + (guint32)done;
		gsize offset = 0, room = 0, n;
		WfSimRegion region = wf_sim_memory_resolve(self, a, &offset, &room);

		n = MIN(room, len - done);
		switch (region) {
		case WF_SIM_REGION_PSRAM:
			memcpy(wf_sim_memory_psram(self) + offset, buf + done, n);
			break;
		case WF_SIM_REGION_SRAM:
			memcpy(self->sram + offset, buf + done, n);
			break;
		case WF_SIM_REGION_PERIPH: {
			/* merge into the register without a side-effecting read */
			guint32 word = a & ~3u;
			guint32 value = wf_sim_memory_reg(self, word);
			if (word >= WF_SIM_SFI_BASE && word < WF_SIM_SFI_BASE + WF_SIM_SFI_SIZE &&
			    word >= WF_SIM_SFI_BASE + WF_SIM_SFI_GPRAM)
				value = wf_sim_sfi_read32(self->sfi, word - WF_SIM_SFI_BASE);
			for (gsize i = 0; i < n; i++) {
				guint shift = ((a & 3) + i) * 8;
				value = (value & ~(0xFFu << shift)) |
					((guint32)buf[done + i] << shift);
			}
			wf_sim_memory_periph_write32(self, word, value);
			break;
		}
		case WF_SIM_REGION_FLASH:  /* read-only through the window */
		case WF_SIM_REGION_CHIPID: /* read-only */
		case WF_SIM_REGION_NONE:
		default:
			break;
		}
		done += n;
	}
}

/**
 * wf_sim_memory_write32:
 * @self: a #WfSimMemory
 * @addr: a bus address; the low two bits are ignored
 * @value: the word
 */
void
wf_sim_memory_write32(WfSimMemory *self, guint32 addr, guint32 value)
{
	guint8 b[4] = {value & 0xFF, (value >> 8) & 0xFF, (value >> 16) & 0xFF, value >> 24};

	g_return_if_fail(WF_IS_SIM_MEMORY(self));
	addr &= ~3u;
	if (addr >= WF_SIM_PERIPH_BASE && addr <= WF_SIM_PERIPH_END) {
		wf_sim_memory_periph_write32(self, addr, value);
		return;
	}
	wf_sim_memory_store(self, addr, b, sizeof(b));
}

/**
 * wf_sim_memory_write16:
 * @self: a #WfSimMemory
 * @addr: a bus address; bit 0 is ignored
 * @value: the half-word
 */
void
wf_sim_memory_write16(WfSimMemory *self, guint32 addr, guint16 value)
{
	guint8 b[2] = {value & 0xFF, value >> 8};

	g_return_if_fail(WF_IS_SIM_MEMORY(self));
	addr &= ~1u;
	if (addr >= WF_SIM_SFI_BASE && addr < WF_SIM_SFI_BASE + WF_SIM_SFI_GPRAM) {
		/* SFI control registers: a half-word write is a word write with
		 * the other half zero, so it never triggers a read [I] */
		wf_sim_sfi_write32(self->sfi,
				   (addr & ~3u) - WF_SIM_SFI_BASE,
				   (guint32)value << ((addr & 2) * 8));
		return;
	}
	wf_sim_memory_store(self, addr, b, sizeof(b));
}

/**
 * wf_sim_memory_read_bytes:
 * @self: a #WfSimMemory
 * @addr: a bus address
 * @buf: (out caller-allocates): where to copy
 * @len: how many bytes
 */
void
wf_sim_memory_read_bytes(WfSimMemory *self, guint32 addr, guint8 *buf, gsize len)
{
	gsize done = 0;

	g_return_if_fail(WF_IS_SIM_MEMORY(self));
	g_return_if_fail(buf != NULL || len == 0);

	while (done < len) {
		guint32 a = addr + (guint32)done;
		gsize offset = 0, room = 0, n;
		WfSimRegion region = wf_sim_memory_resolve(self, a, &offset, &room);

		n = MIN(room, len - done);
		switch (region) {
		case WF_SIM_REGION_FLASH:
			wf_sim_flash_read_mapped(self->flash, (guint32)offset, buf + done, n);
			break;
		case WF_SIM_REGION_PSRAM:
			if (self->psram != NULL)
				memcpy(buf + done, self->psram + offset, n);
			else
				memset(buf + done, 0, n);
			break;
		case WF_SIM_REGION_SRAM:
			memcpy(buf + done, self->sram + offset, n);
			break;
		case WF_SIM_REGION_CHIPID:
		case WF_SIM_REGION_PERIPH: {
			guint32 word = wf_sim_memory_read32(self, a);
			for (gsize i = 0; i < n; i++)
				buf[done + i] = (word >> (((a & 3) + i) * 8)) & 0xFF;
			break;
		}
		case WF_SIM_REGION_NONE:
		default:
			memset(buf + done, 0, n);
			break;
		}
		done += n;
	}
}

/**
 * wf_sim_memory_write_bytes:
 * @self: a #WfSimMemory
 * @addr: a bus address
 * @buf: the bytes
 * @len: how many
 *
 * What SEND_DA does with its payload. Writes to the flash window are lost.
 */
void
wf_sim_memory_write_bytes(WfSimMemory *self, guint32 addr, const guint8 *buf, gsize len)
{
	g_return_if_fail(WF_IS_SIM_MEMORY(self));
	g_return_if_fail(buf != NULL || len == 0);
	wf_sim_memory_store(self, addr, buf, len);
}

/**
 * wf_sim_memory_take_reset_request:
 * @self: a #WfSimMemory
 *
 * Returns: %TRUE once after the host wrote 0x1209 to 0xA003001C
 */
gboolean
wf_sim_memory_take_reset_request(WfSimMemory *self)
{
	gboolean ret;

	g_return_val_if_fail(WF_IS_SIM_MEMORY(self), FALSE);
	ret = self->reset_requested;
	self->reset_requested = FALSE;
	return ret;
}

/**
 * wf_sim_memory_get_charger_kick_time:
 * @self: a #WfSimMemory
 *
 * Returns: monotonic time of the last write to 0xA0700A24, or -1
 */
gint64
wf_sim_memory_get_charger_kick_time(WfSimMemory *self)
{
	g_return_val_if_fail(WF_IS_SIM_MEMORY(self), -1);
	return self->charger_kick_time;
}

/**
 * wf_sim_memory_get_watchdog_enabled:
 * @self: a #WfSimMemory
 *
 * Returns: %FALSE once the host disabled the RGU watchdog (0xA0030000 = 0x2200)
 */
gboolean
wf_sim_memory_get_watchdog_enabled(WfSimMemory *self)
{
	guint32 mode;

	g_return_val_if_fail(WF_IS_SIM_MEMORY(self), TRUE);
	if (!g_hash_table_contains(self->regs, GUINT_TO_POINTER(WF_SIM_REG_WDT_MODE)))
		return TRUE;
	mode = wf_sim_memory_reg(self, WF_SIM_REG_WDT_MODE);
	return (mode & 0x0001) != 0;
}
