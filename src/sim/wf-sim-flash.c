/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-sim-flash.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wf-error.h"

/*
 * A serial NOR flash as the SFI controller and the memory-mapped window see
 * it (protocol.md §3.11). One transaction = one chip-select cycle: the host
 * clocks @tx out, then clocks @rx_len more bytes in. The behaviour follows
 * the common SPI-NOR datasheets (Winbond W25Q, GigaDevice GD25, Macronix
 * MX25L):
 *
 *  - program/erase/WRSR need WEL (06) and clear it when they end;
 *  - programming only clears bits; a page program wraps inside its 256-byte
 *    page and, given more than 256 bytes, keeps the last 256;
 *  - while WIP is set every command but RDSR (05) is ignored;
 *  - block protection, "top fraction" scheme: BP = status bits 2–5 read as a
 *    number n; n = 0 protects nothing, n ≥ 1 protects the top 64 KiB << (n−1)
 *    of the array (capped at all of it), as on the MX25L3206E. Erasing or
 *    programming anything inside the protected area is ignored; so is a chip
 *    erase while any block is protected.
 *
 * The array is an mmap of the image file (MAP_SHARED), so every change is in
 * the file as soon as it happens; msync() only forces it to disk.
 */

#define WF_SIM_FLASH_PAGE    256
#define WF_SIM_FLASH_64K     (64 * 1024)
#define WF_SIM_FLASH_NV_BITS 0xFC /* BP0–BP3, bits 6–7 (QE/SRP): kept by WRSR */

/* SPI-NOR opcodes (JEDEC / datasheets) */
enum {
	WF_SIM_NOR_WRSR = 0x01,
	WF_SIM_NOR_PP = 0x02,
	WF_SIM_NOR_READ = 0x03,
	WF_SIM_NOR_WRDI = 0x04,
	WF_SIM_NOR_RDSR = 0x05,
	WF_SIM_NOR_WREN = 0x06,
	WF_SIM_NOR_FAST_READ = 0x0B,
	WF_SIM_NOR_SE_4K = 0x20,
	WF_SIM_NOR_BE_32K = 0x52,
	WF_SIM_NOR_CE_60 = 0x60,
	WF_SIM_NOR_QPIID = 0xAF,
	WF_SIM_NOR_ENSO = 0xB1,
	WF_SIM_NOR_EXSO = 0xC1,
	WF_SIM_NOR_CE_C7 = 0xC7,
	WF_SIM_NOR_BE_64K = 0xD8,
	WF_SIM_NOR_RDID = 0x9F,
};

struct _WfSimFlash {
	GObject parent_instance;
	GMutex mutex;
	guint8 *data;
	gsize size;
	gboolean file_backed;
	guint8 jedec[3];
	guint8 status_nv; /* WRSR bits */
	gboolean wel;
	gboolean otp_mode;
	gint64 busy_until;
	WfSimFlashTiming timing;
};

G_DEFINE_FINAL_TYPE(WfSimFlash, wf_sim_flash, G_TYPE_OBJECT)

static void
wf_sim_flash_finalize(GObject *object)
{
	WfSimFlash *self = WF_SIM_FLASH(object);

	if (self->data != NULL) {
		if (self->file_backed)
			msync(self->data, self->size, MS_SYNC);
		munmap(self->data, self->size);
	}
	g_mutex_clear(&self->mutex);
	G_OBJECT_CLASS(wf_sim_flash_parent_class)->finalize(object);
}

static void
wf_sim_flash_class_init(WfSimFlashClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_sim_flash_finalize;
}

static void
wf_sim_flash_init(WfSimFlash *self)
{
	g_mutex_init(&self->mutex);
	wf_sim_flash_timing_init_default(&self->timing);
}

/**
 * wf_sim_flash_timing_init_default:
 * @timing: (out): typical datasheet times (Winbond W25Q64: 4 KiB erase 45 ms,
 *   32 KiB 120 ms, 64 KiB 150 ms, chip erase 20 s for 8 MiB, page program
 *   0.7 ms, status write 10 ms)
 */
void
wf_sim_flash_timing_init_default(WfSimFlashTiming *timing)
{
	g_return_if_fail(timing != NULL);
	timing->erase_4k_us = 45000;
	timing->erase_32k_us = 120000;
	timing->erase_64k_us = 150000;
	timing->erase_chip_us_per_mib = 2500000;
	timing->program_page_us = 700;
	timing->write_status_us = 10000;
}

/**
 * wf_sim_flash_new:
 * @size: bytes, a power of two
 * @jedec: manufacturer, type, capacity
 *
 * A blank (all 0xFF) part that lives in memory only.
 */
WfSimFlash *
wf_sim_flash_new(gsize size, const guint8 jedec[3])
{
	WfSimFlash *self;
	void *data;

	g_return_val_if_fail(size > 0 && (size & (size - 1)) == 0, NULL);
	g_return_val_if_fail(jedec != NULL, NULL);

	data = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	g_return_val_if_fail(data != MAP_FAILED, NULL);
	self = g_object_new(WF_TYPE_SIM_FLASH, NULL);
	self->data = data;
	self->size = size;
	memcpy(self->jedec, jedec, 3);
	memset(self->data, 0xFF, size);
	return self;
}

/**
 * wf_sim_flash_new_for_file:
 * @path: an existing image file whose size is a power of two
 * @jedec: manufacturer, type, capacity
 * @error: (out): return location
 *
 * Maps @path shared: the file is the flash.
 */
WfSimFlash *
wf_sim_flash_new_for_file(const gchar *path, const guint8 jedec[3], GError **error)
{
	WfSimFlash *self;
	struct stat st;
	void *data;
	int fd;

	g_return_val_if_fail(path != NULL, NULL);
	g_return_val_if_fail(jedec != NULL, NULL);

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		int errsv = errno;
		g_set_error(error,
			    WF_ERROR,
			    errsv == ENOENT ? WF_ERROR_NOT_FOUND : WF_ERROR_READ,
			    "cannot open flash image %s: %s",
			    path,
			    g_strerror(errsv));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || st.st_size <= 0 || (st.st_size & (st.st_size - 1)) != 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "flash image %s: size %" G_GINT64_FORMAT " is not a power of two",
			    path,
			    (gint64)st.st_size);
		close(fd);
		return NULL;
	}
	data = mmap(NULL, (gsize)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (data == MAP_FAILED) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_READ,
			    "cannot map flash image %s: %s",
			    path,
			    g_strerror(errno));
		return NULL;
	}
	self = g_object_new(WF_TYPE_SIM_FLASH, NULL);
	self->data = data;
	self->size = (gsize)st.st_size;
	self->file_backed = TRUE;
	memcpy(self->jedec, jedec, 3);
	return self;
}

/**
 * wf_sim_flash_load:
 * @self: a #WfSimFlash
 * @image: exactly as many bytes as the part holds
 * @error: (out): return location
 *
 * Factory programming: replaces the whole array, bypassing the NOR rules.
 */
gboolean
wf_sim_flash_load(WfSimFlash *self, GBytes *image, GError **error)
{
	gsize len = 0;
	const guint8 *data;

	g_return_val_if_fail(WF_IS_SIM_FLASH(self), FALSE);
	g_return_val_if_fail(image != NULL, FALSE);

	data = g_bytes_get_data(image, &len);
	if (len != self->size) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "image is %zu bytes, the flash %zu",
			    len,
			    self->size);
		return FALSE;
	}
	g_mutex_lock(&self->mutex);
	memcpy(self->data, data, len);
	g_mutex_unlock(&self->mutex);
	return TRUE;
}

/**
 * wf_sim_flash_set_timing:
 * @self: a #WfSimFlash
 * @timing: busy times; all zero = instant
 */
void
wf_sim_flash_set_timing(WfSimFlash *self, const WfSimFlashTiming *timing)
{
	g_return_if_fail(WF_IS_SIM_FLASH(self));
	g_return_if_fail(timing != NULL);
	g_mutex_lock(&self->mutex);
	self->timing = *timing;
	g_mutex_unlock(&self->mutex);
}

/**
 * wf_sim_flash_get_size:
 * @self: a #WfSimFlash
 */
gsize
wf_sim_flash_get_size(WfSimFlash *self)
{
	g_return_val_if_fail(WF_IS_SIM_FLASH(self), 0);
	return self->size;
}

/**
 * wf_sim_flash_get_jedec:
 * @self: a #WfSimFlash
 *
 * Returns: the three JEDEC id bytes
 */
const guint8 *
wf_sim_flash_get_jedec(WfSimFlash *self)
{
	g_return_val_if_fail(WF_IS_SIM_FLASH(self), NULL);
	return self->jedec;
}

static gboolean
wf_sim_flash_busy_locked(WfSimFlash *self)
{
	return g_get_monotonic_time() < self->busy_until;
}

static guint8
wf_sim_flash_status_locked(WfSimFlash *self)
{
	guint8 sr = self->status_nv;

	if (wf_sim_flash_busy_locked(self))
		sr |= WF_SIM_FLASH_SR_WIP | WF_SIM_FLASH_SR_WEL; /* WEL clears when WIP does */
	else if (self->wel)
		sr |= WF_SIM_FLASH_SR_WEL;
	return sr;
}

/**
 * wf_sim_flash_get_status:
 * @self: a #WfSimFlash
 *
 * Returns: what RDSR (05) answers now
 */
guint8
wf_sim_flash_get_status(WfSimFlash *self)
{
	guint8 sr;

	g_return_val_if_fail(WF_IS_SIM_FLASH(self), 0);
	g_mutex_lock(&self->mutex);
	sr = wf_sim_flash_status_locked(self);
	g_mutex_unlock(&self->mutex);
	return sr;
}

/**
 * wf_sim_flash_set_status:
 * @self: a #WfSimFlash
 * @status: the non-volatile status bits to restore (WIP/WEL are ignored)
 */
void
wf_sim_flash_set_status(WfSimFlash *self, guint8 status)
{
	g_return_if_fail(WF_IS_SIM_FLASH(self));
	g_mutex_lock(&self->mutex);
	self->status_nv = status & WF_SIM_FLASH_NV_BITS;
	g_mutex_unlock(&self->mutex);
}

static void
wf_sim_flash_protected_locked(WfSimFlash *self, gsize *start, gsize *len)
{
	guint bp = (self->status_nv & WF_SIM_FLASH_SR_BP_MASK) >> WF_SIM_FLASH_SR_BP_SHIFT;
	gsize protected_len = 0;

	if (bp > 0) {
		protected_len = self->size;
		if (bp - 1 < 24 && ((gsize)WF_SIM_FLASH_64K << (bp - 1)) < self->size)
			protected_len = (gsize)WF_SIM_FLASH_64K << (bp - 1);
	}
	*start = self->size - protected_len;
	*len = protected_len;
}

/**
 * wf_sim_flash_get_protected_range:
 * @self: a #WfSimFlash
 * @start: (out): first protected byte
 * @len: (out): protected bytes
 *
 * Returns: %TRUE if any block is protected
 */
gboolean
wf_sim_flash_get_protected_range(WfSimFlash *self, gsize *start, gsize *len)
{
	gsize s, l;

	g_return_val_if_fail(WF_IS_SIM_FLASH(self), FALSE);
	g_mutex_lock(&self->mutex);
	wf_sim_flash_protected_locked(self, &s, &l);
	g_mutex_unlock(&self->mutex);
	if (start != NULL)
		*start = s;
	if (len != NULL)
		*len = l;
	return l > 0;
}

static gboolean
wf_sim_flash_is_protected_locked(WfSimFlash *self, gsize offset, gsize len)
{
	gsize start, plen;

	wf_sim_flash_protected_locked(self, &start, &plen);
	return plen > 0 && offset + len > start;
}

static void
wf_sim_flash_start_busy_locked(WfSimFlash *self, guint busy_us)
{
	self->busy_until = g_get_monotonic_time() + busy_us;
	self->wel = FALSE;
}

static gsize
wf_sim_flash_addr24(WfSimFlash *self, const guint8 *tx)
{
	return (((gsize)tx[1] << 16) | ((gsize)tx[2] << 8) | tx[3]) & (self->size - 1);
}

static void
wf_sim_flash_erase_locked(WfSimFlash *self, const guint8 *tx, gsize tx_len)
{
	gsize block = WF_SIM_FLASH_64K;
	guint busy_us = self->timing.erase_64k_us;
	gsize offset;

	if (!self->wel || tx_len < 4)
		return;
	if (tx[0] == WF_SIM_NOR_SE_4K) {
		block = 4096;
		busy_us = self->timing.erase_4k_us;
	} else if (tx[0] == WF_SIM_NOR_BE_32K) {
		block = 32 * 1024;
		busy_us = self->timing.erase_32k_us;
	}
	block = MIN(block, self->size);
	offset = wf_sim_flash_addr24(self, tx) & ~(block - 1);
	if (wf_sim_flash_is_protected_locked(self, offset, block)) {
		g_debug("NOR: erase of protected 0x%06zx+0x%zx ignored", offset, block);
		self->wel = FALSE;
		return;
	}
	memset(self->data + offset, 0xFF, block);
	wf_sim_flash_start_busy_locked(self, busy_us);
}

static void
wf_sim_flash_chip_erase_locked(WfSimFlash *self)
{
	gsize start, len;

	if (!self->wel)
		return;
	wf_sim_flash_protected_locked(self, &start, &len);
	if (len > 0) {
		g_debug("NOR: chip erase ignored, blocks are protected");
		self->wel = FALSE;
		return;
	}
	memset(self->data, 0xFF, self->size);
	wf_sim_flash_start_busy_locked(
		self,
		(guint)MIN((guint64)self->timing.erase_chip_us_per_mib * (self->size >> 20),
			   G_MAXUINT));
}

static void
wf_sim_flash_program_locked(WfSimFlash *self, const guint8 *tx, gsize tx_len)
{
	guint8 page[WF_SIM_FLASH_PAGE];
	gsize addr, base, column;

	if (!self->wel || tx_len < 4)
		return;
	addr = wf_sim_flash_addr24(self, tx);
	base = addr & ~(gsize)(WF_SIM_FLASH_PAGE - 1);
	column = addr & (WF_SIM_FLASH_PAGE - 1);
	if (wf_sim_flash_is_protected_locked(self, base, WF_SIM_FLASH_PAGE)) {
		g_debug("NOR: program of protected page 0x%06zx ignored", base);
		self->wel = FALSE;
		return;
	}
	/* the page buffer: the address wraps at the page end, later bytes win */
	memset(page, 0xFF, sizeof(page));
	for (gsize i = 4; i < tx_len; i++) {
		page[column] = tx[i];
		column = (column + 1) & (WF_SIM_FLASH_PAGE - 1);
	}
	for (gsize i = 0; i < WF_SIM_FLASH_PAGE; i++)
		self->data[base + i] &= page[i];
	wf_sim_flash_start_busy_locked(self, self->timing.program_page_us);
}

static void
wf_sim_flash_write_status_locked(WfSimFlash *self, const guint8 *tx, gsize tx_len)
{
	if (!self->wel || tx_len < 2)
		return;
	self->status_nv = tx[1] & WF_SIM_FLASH_NV_BITS;
	wf_sim_flash_start_busy_locked(self, self->timing.write_status_us);
}

/* read data clocked out from stream position @first on (after cmd+addr[+dummy]) */
static void
wf_sim_flash_read_locked(
	WfSimFlash *self, const guint8 *tx, gsize tx_len, gsize first, guint8 *rx, gsize rx_len)
{
	gsize addr;

	if (tx_len < 4)
		return;
	addr = wf_sim_flash_addr24(self, tx);
	for (gsize i = 0; i < rx_len; i++) {
		gsize pos = tx_len + i;
		if (pos < first)
			continue;
		rx[i] = self->data[(addr + pos - first) & (self->size - 1)];
	}
}

static void
wf_sim_flash_read_id_locked(WfSimFlash *self, gsize tx_len, guint8 *rx, gsize rx_len)
{
	for (gsize i = 0; i < rx_len; i++) {
		gsize pos = tx_len + i;
		if (pos >= 1 && pos <= 3)
			rx[i] = self->jedec[pos - 1];
	}
}

/**
 * wf_sim_flash_transaction:
 * @self: a #WfSimFlash
 * @tx: the bytes the controller sends (command, address, data)
 * @tx_len: how many
 * @rx: (out caller-allocates): the bytes clocked in after them
 * @rx_len: how many
 *
 * One chip-select cycle. Bytes the part does not drive read as 0xFF.
 */
void
wf_sim_flash_transaction(WfSimFlash *self, const guint8 *tx, gsize tx_len, guint8 *rx, gsize rx_len)
{
	guint8 sr;

	g_return_if_fail(WF_IS_SIM_FLASH(self));
	g_return_if_fail(tx != NULL || tx_len == 0);
	g_return_if_fail(rx != NULL || rx_len == 0);

	if (rx_len > 0)
		memset(rx, 0xFF, rx_len);
	if (tx_len == 0)
		return;
	g_mutex_lock(&self->mutex);
	if (wf_sim_flash_busy_locked(self) && tx[0] != WF_SIM_NOR_RDSR) {
		g_debug("NOR: 0x%02X ignored while WIP is set", tx[0]);
		g_mutex_unlock(&self->mutex);
		return;
	}
	switch (tx[0]) {
	case WF_SIM_NOR_RDSR:
		sr = wf_sim_flash_status_locked(self);
		if (rx_len > 0)
			memset(rx, sr, rx_len);
		break;
	case WF_SIM_NOR_RDID:
		wf_sim_flash_read_id_locked(self, tx_len, rx, rx_len);
		break;
	case WF_SIM_NOR_QPIID:
		/* the part is in SPI mode and does not drive the QPI id */
		break;
	case WF_SIM_NOR_WREN:
		self->wel = TRUE;
		break;
	case WF_SIM_NOR_WRDI:
		self->wel = FALSE;
		break;
	case WF_SIM_NOR_WRSR:
		wf_sim_flash_write_status_locked(self, tx, tx_len);
		break;
	case WF_SIM_NOR_SE_4K:
	case WF_SIM_NOR_BE_32K:
	case WF_SIM_NOR_BE_64K:
		wf_sim_flash_erase_locked(self, tx, tx_len);
		break;
	case WF_SIM_NOR_CE_60:
	case WF_SIM_NOR_CE_C7:
		wf_sim_flash_chip_erase_locked(self);
		break;
	case WF_SIM_NOR_PP:
		wf_sim_flash_program_locked(self, tx, tx_len);
		break;
	case WF_SIM_NOR_READ:
		wf_sim_flash_read_locked(self, tx, tx_len, 4, rx, rx_len);
		break;
	case WF_SIM_NOR_FAST_READ:
		wf_sim_flash_read_locked(self, tx, tx_len, 5, rx, rx_len);
		break;
	case WF_SIM_NOR_ENSO:
		self->otp_mode = TRUE;
		break;
	case WF_SIM_NOR_EXSO:
		self->otp_mode = FALSE;
		break;
	default:
		g_debug("NOR: unknown command 0x%02X ignored", tx[0]);
		break;
	}
	g_mutex_unlock(&self->mutex);
}

/**
 * wf_sim_flash_read_mapped:
 * @self: a #WfSimFlash
 * @offset: offset in the memory-mapped window; wraps at the flash size
 * @buf: (out caller-allocates): where to copy
 * @len: how many bytes
 *
 * What the SFI's memory-mapped window returns. While the part is busy it
 * ignores the controller's read command and the bus reads 0xFF [I].
 */
void
wf_sim_flash_read_mapped(WfSimFlash *self, guint32 offset, guint8 *buf, gsize len)
{
	gsize done = 0;

	g_return_if_fail(WF_IS_SIM_FLASH(self));
	g_return_if_fail(buf != NULL || len == 0);

	g_mutex_lock(&self->mutex);
	if (wf_sim_flash_busy_locked(self)) {
		memset(buf, 0xFF, len);
		g_mutex_unlock(&self->mutex);
		return;
	}
	while (done < len) {
		gsize off = ((gsize)offset + done) & (self->size - 1);
		gsize n = MIN(len - done, self->size - off);
		memcpy(buf + done, self->data + off, n);
		done += n;
	}
	g_mutex_unlock(&self->mutex);
}

/**
 * wf_sim_flash_read_mapped32:
 * @self: a #WfSimFlash
 * @offset: a 4-aligned offset in the window
 *
 * Returns: the little-endian word at @offset, as the CPU bus sees it
 */
guint32
wf_sim_flash_read_mapped32(WfSimFlash *self, guint32 offset)
{
	guint8 b[4];

	wf_sim_flash_read_mapped(self, offset, b, sizeof(b));
	return (guint32)b[0] | ((guint32)b[1] << 8) | ((guint32)b[2] << 16) | ((guint32)b[3] << 24);
}

/**
 * wf_sim_flash_dup_bytes:
 * @self: a #WfSimFlash
 *
 * Returns: (transfer full): a snapshot of the whole array
 */
GBytes *
wf_sim_flash_dup_bytes(WfSimFlash *self)
{
	GBytes *bytes;

	g_return_val_if_fail(WF_IS_SIM_FLASH(self), NULL);
	g_mutex_lock(&self->mutex);
	bytes = g_bytes_new(self->data, self->size);
	g_mutex_unlock(&self->mutex);
	return bytes;
}

/**
 * wf_sim_flash_sync:
 * @self: a #WfSimFlash
 * @error: (out): return location
 *
 * Forces a file-backed array to disk; a no-op for an in-memory part.
 */
gboolean
wf_sim_flash_sync(WfSimFlash *self, GError **error)
{
	g_return_val_if_fail(WF_IS_SIM_FLASH(self), FALSE);
	if (!self->file_backed)
		return TRUE;
	if (msync(self->data, self->size, MS_SYNC) < 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_WRITE,
			    "cannot sync the flash image: %s",
			    g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}
