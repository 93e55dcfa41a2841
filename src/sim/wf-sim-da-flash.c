/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-sim-da-flash.h"

#include <string.h>

/*
 * What the emulated Download Agent does to the serial NOR, and what it reads
 * from the firmware on it. Everything goes through the same WfSimFlash the
 * boot ROM's SFI and remapped window use, with SPI-NOR commands, so the NOR's
 * rules apply: programming only clears bits, busy parts ignore commands,
 * protected blocks stay as they are.
 */

#define WF_SIM_DA_NOR_WRSR  0x01
#define WF_SIM_DA_NOR_PP    0x02
#define WF_SIM_DA_NOR_RDSR  0x05
#define WF_SIM_DA_NOR_WREN  0x06
#define WF_SIM_DA_NOR_SE    0x20
#define WF_SIM_DA_NOR_RDID  0x9F
#define WF_SIM_DA_NOR_QPIID 0xAF
#define WF_SIM_DA_NOR_ENSO  0xB1
#define WF_SIM_DA_NOR_EXSO  0xC1
#define WF_SIM_DA_NOR_BE    0xD8

#define WF_SIM_DA_NOR_PAGE    256u
#define WF_SIM_DA_SR_WIP      0x01
#define WF_SIM_DA_SR_WEL      0x02
#define WF_SIM_DA_WRSR_UNLOCK 0x02 /* what MediaTek's DA writes, protocol.md §3.11 [X] */

/* a 64 KiB erase takes 150 ms on the default timing; a chip erase 20 s */
#define WF_SIM_DA_NOR_TIMEOUT_US (60 * G_USEC_PER_SEC)
#define WF_SIM_DA_NOR_POLL_US	 50

/* firmware-formats.md §2.2 */
#define WF_SIM_DA_SF_HEADER_SIZE  0x14u
#define WF_SIM_DA_BRLYT_SIZE	  180u
#define WF_SIM_DA_BRLYT_DESC_OFF  0x14u
#define WF_SIM_DA_BRLYT_DESC_SIZE 20u
#define WF_SIM_DA_BRLYT_N_DESC	  8u
#define WF_SIM_DA_BL_DESC_MAGIC	  0x42424242u

/* firmware-formats.md §2.3 and the default image (docs/simulator.md); FLASH_INFO
 * holds the FS base at +0x1C and its size right after it */
#define WF_SIM_DA_GFH_MAX_RECORDS     64u
#define WF_SIM_DA_GFH_HEADER_SIZE     8u
#define WF_SIM_DA_GFH_MAUI_INFO	      0x0200u
#define WF_SIM_DA_GFH_FLASH_INFO      0x0207u
#define WF_SIM_DA_MAUI_VERNO_OFF      0x88u
#define WF_SIM_DA_MAUI_VERNO_LEN      0x40u
#define WF_SIM_DA_FLASH_INFO_BASE_OFF 0x1Cu
#define WF_SIM_DA_FLASH_INFO_MIN_SZ   0x24u

static guint32
wf_sim_da_flash_le32(const guint8 *p)
{
	return (guint32)p[0] | ((guint32)p[1] << 8) | ((guint32)p[2] << 16) | ((guint32)p[3] << 24);
}

static guint16
wf_sim_da_flash_le16(const guint8 *p)
{
	return (guint16)(p[0] | (p[1] << 8));
}

static guint8
wf_sim_da_flash_status(WfSimFlash *flash)
{
	const guint8 cmd = WF_SIM_DA_NOR_RDSR;
	guint8 sr = 0;

	wf_sim_flash_transaction(flash, &cmd, 1, &sr, 1);
	return sr;
}

/* polls RDSR until (SR & mask) == want, as the DA's driver does */
static gboolean
wf_sim_da_flash_wait_status(WfSimFlash *flash, guint8 mask, guint8 want)
{
	gint64 deadline = g_get_monotonic_time() + WF_SIM_DA_NOR_TIMEOUT_US;

	while ((wf_sim_da_flash_status(flash) & mask) != want) {
		if (g_get_monotonic_time() > deadline)
			return FALSE;
		g_usleep(WF_SIM_DA_NOR_POLL_US);
	}
	return TRUE;
}

static gboolean
wf_sim_da_flash_wait_ready(WfSimFlash *flash)
{
	return wf_sim_da_flash_wait_status(flash, WF_SIM_DA_SR_WIP, 0);
}

static void
wf_sim_da_flash_command(WfSimFlash *flash, guint8 opcode)
{
	wf_sim_flash_transaction(flash, &opcode, 1, NULL, 0);
}

static void
wf_sim_da_flash_put_addr(guint8 *tx, guint8 opcode, guint32 offset)
{
	tx[0] = opcode;
	tx[1] = (guint8)(offset >> 16);
	tx[2] = (guint8)(offset >> 8);
	tx[3] = (guint8)offset;
}

/**
 * wf_sim_da_flash_probe:
 * @flash: the NOR
 * @qpi_id: (out): what the QPI id read (AF) clocked in
 * @jedec: (out): what RDID (9F) clocked in
 *
 * The two id reads MediaTek's DA makes for every flash-table record
 * (protocol.md §3.11 [X]); their six bytes open the report's candidate field.
 */
void
wf_sim_da_flash_probe(WfSimFlash *flash, guint8 qpi_id[3], guint8 jedec[3])
{
	const guint8 af = WF_SIM_DA_NOR_QPIID;
	const guint8 rdid = WF_SIM_DA_NOR_RDID;

	g_return_if_fail(WF_IS_SIM_FLASH(flash));
	wf_sim_da_flash_wait_ready(flash);
	wf_sim_flash_transaction(flash, &af, 1, qpi_id, 3);
	wf_sim_flash_transaction(flash, &rdid, 1, jedec, 3);
}

/**
 * wf_sim_da_flash_unlock:
 * @flash: the NOR
 *
 * The sequence MediaTek's DA runs after the flash-table match (protocol.md
 * §3.11 [X]): enter and leave the secured OTP, WREN, wait for WEL, WRSR 0x02
 * (clears the block-protect bits), wait for WIP to clear.
 *
 * Returns: %FALSE if the part never became ready
 */
gboolean
wf_sim_da_flash_unlock(WfSimFlash *flash)
{
	const guint8 wrsr[2] = {WF_SIM_DA_NOR_WRSR, WF_SIM_DA_WRSR_UNLOCK};

	g_return_val_if_fail(WF_IS_SIM_FLASH(flash), FALSE);
	if (!wf_sim_da_flash_wait_ready(flash))
		return FALSE;
	wf_sim_da_flash_command(flash, WF_SIM_DA_NOR_ENSO);
	wf_sim_da_flash_command(flash, WF_SIM_DA_NOR_EXSO);
	wf_sim_da_flash_command(flash, WF_SIM_DA_NOR_WREN);
	if (!wf_sim_da_flash_wait_status(flash, WF_SIM_DA_SR_WEL, WF_SIM_DA_SR_WEL))
		return FALSE;
	wf_sim_flash_transaction(flash, wrsr, sizeof(wrsr), NULL, 0);
	return wf_sim_da_flash_wait_ready(flash);
}

/**
 * wf_sim_da_flash_plan_erase:
 * @start: first byte of the range
 * @end: first byte after it
 *
 * Covers [@start, @end) with erase units: 64 KiB blocks where a whole block
 * fits in the 4 KiB-aligned cover, 4 KiB sectors elsewhere.
 *
 * Returns: (transfer full) (element-type WfSimDaEraseUnit): the units, in order
 */
GArray *
wf_sim_da_flash_plan_erase(guint32 start, guint32 end)
{
	GArray *units = g_array_new(FALSE, FALSE, sizeof(WfSimDaEraseUnit));
	guint64 pos = start & ~(guint64)(WF_SIM_DA_FLASH_SECTOR - 1);
	guint64 cover_end = ((guint64)end + WF_SIM_DA_FLASH_SECTOR - 1) &
			    ~(guint64)(WF_SIM_DA_FLASH_SECTOR - 1);

	while (pos < cover_end) {
		WfSimDaEraseUnit unit = {(guint32)pos, WF_SIM_DA_FLASH_SECTOR};

		if ((pos & (WF_SIM_DA_FLASH_BLOCK - 1)) == 0 &&
		    pos + WF_SIM_DA_FLASH_BLOCK <= cover_end)
			unit.size = WF_SIM_DA_FLASH_BLOCK;
		g_array_append_val(units, unit);
		pos += unit.size;
	}
	return units;
}

/* page programs without a check; pages that would only program 0xFF are skipped */
static gboolean
wf_sim_da_flash_program_raw(WfSimFlash *flash, guint32 offset, const guint8 *data, gsize len)
{
	guint8 tx[4 + WF_SIM_DA_NOR_PAGE];
	gsize done = 0;

	while (done < len) {
		guint32 addr = offset + (guint32)done;
		gsize n = MIN(len - done, WF_SIM_DA_NOR_PAGE - (addr % WF_SIM_DA_NOR_PAGE));
		gboolean blank = TRUE;

		for (gsize i = 0; i < n && blank; i++)
			blank = data[done + i] == 0xFF;
		if (!blank) {
			if (!wf_sim_da_flash_wait_ready(flash))
				return FALSE;
			wf_sim_da_flash_command(flash, WF_SIM_DA_NOR_WREN);
			wf_sim_da_flash_put_addr(tx, WF_SIM_DA_NOR_PP, addr);
			memcpy(tx + 4, data + done, n);
			wf_sim_flash_transaction(flash, tx, 4 + n, NULL, 0);
		}
		done += n;
	}
	return wf_sim_da_flash_wait_ready(flash);
}

static gboolean
wf_sim_da_flash_verify(WfSimFlash *flash, guint32 offset, const guint8 *data, gsize len)
{
	g_autofree guint8 *now = g_malloc(len);

	wf_sim_flash_read_mapped(flash, offset, now, len);
	return memcmp(now, data, len) == 0;
}

/**
 * wf_sim_da_flash_erase_unit:
 * @flash: the NOR
 * @unit: the unit to erase
 * @start: first byte of the range being erased
 * @end: first byte after it
 *
 * Erases @unit. Bytes of the unit outside [@start, @end) are read first and
 * programmed back afterwards, so a range that does not start or end on a
 * unit boundary leaves its neighbours alone [I].
 *
 * Returns: %FALSE if the unit does not read back erased (a protected block,
 *   a part that never became ready) or its neighbours did not come back
 */
gboolean
wf_sim_da_flash_erase_unit(WfSimFlash *flash,
			   const WfSimDaEraseUnit *unit,
			   guint32 start,
			   guint32 end)
{
	g_autofree guint8 *keep = NULL;
	g_autofree guint8 *blank = NULL;
	guint8 tx[4];
	gboolean partial;

	g_return_val_if_fail(WF_IS_SIM_FLASH(flash), FALSE);
	g_return_val_if_fail(unit != NULL, FALSE);

	if (!wf_sim_da_flash_wait_ready(flash))
		return FALSE;
	partial = unit->offset < start || (guint64)unit->offset + unit->size > end;
	if (partial) {
		keep = g_malloc(unit->size);
		wf_sim_flash_read_mapped(flash, unit->offset, keep, unit->size);
		for (guint32 i = 0; i < unit->size; i++) {
			guint32 pos = unit->offset + i;
			if (pos >= start && pos < end)
				keep[i] = 0xFF;
		}
	}
	wf_sim_da_flash_command(flash, WF_SIM_DA_NOR_WREN);
	wf_sim_da_flash_put_addr(tx,
				 unit->size == WF_SIM_DA_FLASH_BLOCK ? WF_SIM_DA_NOR_BE
								     : WF_SIM_DA_NOR_SE,
				 unit->offset);
	wf_sim_flash_transaction(flash, tx, sizeof(tx), NULL, 0);
	if (!wf_sim_da_flash_wait_ready(flash))
		return FALSE;
	blank = g_malloc(unit->size);
	memset(blank, 0xFF, unit->size);
	if (!wf_sim_da_flash_verify(flash, unit->offset, blank, unit->size))
		return FALSE;
	if (!partial)
		return TRUE;
	if (!wf_sim_da_flash_program_raw(flash, unit->offset, keep, unit->size))
		return FALSE;
	return wf_sim_da_flash_verify(flash, unit->offset, keep, unit->size);
}

/**
 * wf_sim_da_flash_program:
 * @flash: the NOR
 * @offset: flash offset
 * @data: the bytes
 * @len: how many
 *
 * Page programs @data and reads it back. NOR programming only clears bits,
 * so this fails unless the range was erased first.
 *
 * Returns: %FALSE if the flash does not hold @data afterwards
 */
gboolean
wf_sim_da_flash_program(WfSimFlash *flash, guint32 offset, const guint8 *data, gsize len)
{
	g_return_val_if_fail(WF_IS_SIM_FLASH(flash), FALSE);
	g_return_val_if_fail(data != NULL || len == 0, FALSE);

	if (!wf_sim_da_flash_program_raw(flash, offset, data, len))
		return FALSE;
	return wf_sim_da_flash_verify(flash, offset, data, len);
}

/* one BL descriptor: FALSE = damaged; *used = FALSE for an empty slot */
static gboolean
wf_sim_da_flash_check_bl_desc(const guint8 *p, gsize flash_size, gboolean *used, guint8 *device)
{
	guint32 begin, boundary;

	*used = FALSE;
	if (wf_sim_da_flash_le32(p) != WF_SIM_DA_BL_DESC_MAGIC)
		return TRUE;
	begin = wf_sim_da_flash_le32(p + 8);
	boundary = wf_sim_da_flash_le32(p + 12);
	if (begin >= boundary || boundary > flash_size)
		return FALSE;
	*used = TRUE;
	*device = p[4];
	return TRUE;
}

/**
 * wf_sim_da_flash_parse_header_block:
 * @flash: the NOR
 * @header: (out) (optional): what it says
 *
 * The check behind the report's download status and D3's refusal
 * (firmware-formats.md §2.2, protocol.md §5.12): "SF_BOOT" version 1 at 0,
 * whose dev_rw_unit points at a "BRLYT" version 1 record with both region
 * addresses inside the flash and at least one bootloader descriptor
 * (magic "BBBB", a range inside the flash) for a device the DA knows
 * (7 serial flash, 9, 10).
 *
 * Returns: %TRUE if the header block is valid
 */
gboolean
wf_sim_da_flash_parse_header_block(WfSimFlash *flash, WfSimDaHeaderBlock *header)
{
	gsize flash_size;
	guint8 sf[WF_SIM_DA_SF_HEADER_SIZE];
	guint8 brlyt[WF_SIM_DA_BRLYT_SIZE];
	WfSimDaHeaderBlock out = {0};
	gboolean found = FALSE;
	guint8 device = 0;

	g_return_val_if_fail(WF_IS_SIM_FLASH(flash), FALSE);

	flash_size = wf_sim_flash_get_size(flash);
	if (!wf_sim_da_flash_wait_ready(flash))
		return FALSE;
	wf_sim_flash_read_mapped(flash, 0, sf, sizeof(sf));
	if (memcmp(sf, "SF_BOOT\0", 8) != 0 || wf_sim_da_flash_le32(sf + 0x0C) != 1)
		return FALSE;
	out.brlyt_offset = wf_sim_da_flash_le32(sf + 0x10);
	if (out.brlyt_offset < WF_SIM_DA_SF_HEADER_SIZE ||
	    (guint64)out.brlyt_offset + WF_SIM_DA_BRLYT_SIZE > flash_size)
		return FALSE;
	wf_sim_flash_read_mapped(flash, out.brlyt_offset, brlyt, sizeof(brlyt));
	if (memcmp(brlyt, "BRLYT\0\0\0", 8) != 0 || wf_sim_da_flash_le32(brlyt + 0x08) != 1)
		return FALSE;
	out.boot_region = wf_sim_da_flash_le32(brlyt + 0x0C);
	out.main_region = wf_sim_da_flash_le32(brlyt + 0x10);
	if (out.boot_region >= flash_size || out.main_region >= flash_size)
		return FALSE;
	for (guint i = 0; i < WF_SIM_DA_BRLYT_N_DESC; i++) {
		const guint8 *p =
			brlyt + WF_SIM_DA_BRLYT_DESC_OFF + (gsize)i * WF_SIM_DA_BRLYT_DESC_SIZE;
		gboolean used = FALSE;
		guint8 dev = 0;

		if (!wf_sim_da_flash_check_bl_desc(p, flash_size, &used, &dev))
			return FALSE;
		if (used && !found) {
			found = TRUE;
			device = dev;
		}
	}
	if (!found || (device != 7 && device != 9 && device != 10))
		return FALSE;
	out.boot_style = 0x400u | device;
	if (header != NULL)
		*header = out;
	return TRUE;
}

/**
 * wf_sim_da_flash_find_gfh:
 * @flash: the NOR
 * @chain_offset: flash offset of the first GFH record (a file's start)
 * @type: the record type wanted
 * @record_offset: (out): flash offset of the record
 * @record_size: (out): its size field
 *
 * Walks a GFH chain ("MMM" + version, u16 size, u16 type, back to back) until
 * a byte that does not start a record (firmware-formats.md §2.3).
 *
 * Returns: %TRUE if the chain holds a record of @type
 */
gboolean
wf_sim_da_flash_find_gfh(WfSimFlash *flash,
			 guint32 chain_offset,
			 guint16 type,
			 guint32 *record_offset,
			 guint16 *record_size)
{
	gsize flash_size;
	guint64 off = chain_offset;

	g_return_val_if_fail(WF_IS_SIM_FLASH(flash), FALSE);

	flash_size = wf_sim_flash_get_size(flash);
	for (guint i = 0; i < WF_SIM_DA_GFH_MAX_RECORDS; i++) {
		guint8 hdr[WF_SIM_DA_GFH_HEADER_SIZE];
		guint16 size;

		if (off + sizeof(hdr) > flash_size)
			return FALSE;
		wf_sim_flash_read_mapped(flash, (guint32)off, hdr, sizeof(hdr));
		if (memcmp(hdr, "MMM", 3) != 0)
			return FALSE;
		size = wf_sim_da_flash_le16(hdr + 4);
		if (size < WF_SIM_DA_GFH_HEADER_SIZE || off + size > flash_size)
			return FALSE;
		if (wf_sim_da_flash_le16(hdr + 6) == type) {
			*record_offset = (guint32)off;
			*record_size = size;
			return TRUE;
		}
		off += size;
	}
	return FALSE;
}

/**
 * wf_sim_da_flash_get_verno:
 * @flash: the NOR
 * @rom_offset: where the MAUI ROM starts (BRLYT main_region_dev_addr)
 * @verno: (out caller-allocates): the VERNO, NUL-terminated
 *
 * The project id EF answers: the VERNO in the ROM's MAUI_INFO record
 * (+0x88, 64 bytes), as MediaTek's DA answered `1418B01SIM868M32_EAT` on the
 * SIM868 firmware (protocol.md §5.12 [X]).
 *
 * Returns: %FALSE if the ROM has no MAUI_INFO
 */
gboolean
wf_sim_da_flash_get_verno(WfSimFlash *flash, guint32 rom_offset, gchar verno[65])
{
	guint8 raw[WF_SIM_DA_MAUI_VERNO_LEN];
	guint32 rec = 0;
	guint16 size = 0;
	gsize n = 0;

	g_return_val_if_fail(WF_IS_SIM_FLASH(flash), FALSE);
	g_return_val_if_fail(verno != NULL, FALSE);

	if (!wf_sim_da_flash_find_gfh(flash, rom_offset, WF_SIM_DA_GFH_MAUI_INFO, &rec, &size))
		return FALSE;
	if (size < WF_SIM_DA_MAUI_VERNO_OFF + WF_SIM_DA_MAUI_VERNO_LEN)
		return FALSE;
	wf_sim_flash_read_mapped(flash, rec + WF_SIM_DA_MAUI_VERNO_OFF, raw, sizeof(raw));
	/* an unfilled field reads as NULs or erased bytes */
	while (n < sizeof(raw) && raw[n] != 0 && raw[n] != 0xFF) {
		verno[n] = (gchar)raw[n];
		n++;
	}
	verno[n] = '\0';
	return TRUE;
}

/**
 * wf_sim_da_flash_get_fs_region:
 * @flash: the NOR
 * @rom_offset: where the MAUI ROM starts
 * @base: (out): flash offset of the NOR file system (NVRAM, settings)
 * @size: (out): its length
 *
 * The FS range from the ROM's FLASH_INFO record (base at +0x1C, size at
 * +0x20, as the default image writes them: docs/simulator.md), which F0
 * reports (`00380000 0007E000` on the SIM868 firmware, protocol.md §5.12).
 *
 * Returns: %FALSE without a FLASH_INFO that names a range inside the flash
 */
gboolean
wf_sim_da_flash_get_fs_region(WfSimFlash *flash, guint32 rom_offset, guint32 *base, guint32 *size)
{
	guint8 raw[8];
	guint32 rec = 0;
	guint16 rec_size = 0;
	guint32 b, s;

	g_return_val_if_fail(WF_IS_SIM_FLASH(flash), FALSE);
	g_return_val_if_fail(base != NULL && size != NULL, FALSE);

	if (!wf_sim_da_flash_find_gfh(flash, rom_offset, WF_SIM_DA_GFH_FLASH_INFO, &rec, &rec_size))
		return FALSE;
	if (rec_size < WF_SIM_DA_FLASH_INFO_MIN_SZ)
		return FALSE;
	wf_sim_flash_read_mapped(flash, rec + WF_SIM_DA_FLASH_INFO_BASE_OFF, raw, sizeof(raw));
	b = wf_sim_da_flash_le32(raw);
	s = wf_sim_da_flash_le32(raw + 4);
	if (s == 0 || (guint64)b + s > wf_sim_flash_get_size(flash))
		return FALSE;
	*base = b;
	*size = s;
	return TRUE;
}
