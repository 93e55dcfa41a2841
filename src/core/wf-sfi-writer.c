/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-sfi-writer.h"

#include <string.h>

#include "wf-error.h"

/*
 * The writer works on 4 KiB sectors, the flash's smallest erase unit. For
 * every sector a region touches it knows the bytes it must end up holding
 * (regions laid over what the watch holds, so a region that covers only part
 * of a sector keeps the rest) and, in DIFF mode, what it holds now:
 *   UNCHANGED     equal: nothing to do
 *   PROGRAM_ONLY  the new bytes only clear bits (e.g. onto erased flash):
 *                 program the differing pages, no erase
 *   ERASE         erase, then program every page that is not all 0xFF
 * A 64 KiB block whose sectors all need writing gets one block erase instead
 * of sector erases when the cost model below says it is cheaper (always when
 * the whole block changes).
 */

#define WF_SFI_WRITER_SECTOR	      WF_SFI_NOR_SECTOR_SIZE
#define WF_SFI_WRITER_BLOCK	      WF_SFI_NOR_BLOCK_SIZE
#define WF_SFI_WRITER_SECTORS_PER_BLK (WF_SFI_WRITER_BLOCK / WF_SFI_WRITER_SECTOR)
#define WF_SFI_WRITER_PAGES_PER_SECT  (WF_SFI_WRITER_SECTOR / WF_SFI_NOR_PAGE_SIZE)

/* the cost model, in µs: typical datasheet erase times (W25Q64: 4 KiB 45 ms,
 * 64 KiB 150 ms) and what programming one page costs over a 1 MB/s link */
#define WF_SFI_WRITER_COST_SECTOR_ERASE_US 45000
#define WF_SFI_WRITER_COST_BLOCK_ERASE_US  150000
#define WF_SFI_WRITER_COST_PAGE_US	   1300

typedef enum {
	WF_SFI_SECTOR_UNCHANGED,
	WF_SFI_SECTOR_PROGRAM_ONLY,
	WF_SFI_SECTOR_ERASE,
} WfSfiSectorKind;

typedef enum {
	WF_SFI_SECTOR_UNTOUCHED,
	WF_SFI_SECTOR_ERASED,	   /* erased; its pages are not all programmed yet */
	WF_SFI_SECTOR_PROGRAMMING, /* program-only sector, not finished */
	WF_SFI_SECTOR_WRITTEN,	   /* every page programmed, not verified yet */
	WF_SFI_SECTOR_VERIFIED,
} WfSfiSectorState;

typedef struct {
	gboolean affected; /* a region touches it */
	gboolean covered;  /* regions cover all of it */
	gboolean known;	   /* what the watch holds is in readback[] */
	WfSfiSectorKind kind;
	WfSfiSectorState state;
} WfSfiSector;

typedef struct {
	gchar *name;
	guint32 offset;
	GBytes *data;
	gchar *sha256;
	gchar *readback_sha256;
} WfSfiRegion;

struct _WfSfiWriter {
	GObject parent_instance;
	WfBrom *brom;
	WfSfiNor *nor;
	guint32 flash_size;
	WfSfiWriterMode mode;
	WfSfiWriterFlags flags;
	WfProgress *progress;
	GBytes *current;
	GPtrArray *regions; /* of WfSfiRegion, sorted by offset when run */
	GPtrArray *notes;
	WfSfiWriterStats stats;
	/* one run */
	guint32 span_start; /* first sector any region touches */
	guint32 span_len;   /* through the last one, sector-aligned */
	guint8 *target;	    /* what the span must hold */
	guint8 *readback;   /* what the watch holds / was read back */
	WfSfiSector *sectors;
	guint n_sectors;
	gboolean protection_cleared;
	guint8 old_status;
	guint64 progress_done;
	guint64 progress_total;
};

G_DEFINE_FINAL_TYPE(WfSfiWriter, wf_sfi_writer, G_TYPE_OBJECT)

static void
wf_sfi_region_free(gpointer data)
{
	WfSfiRegion *region = data;

	g_free(region->name);
	g_bytes_unref(region->data);
	g_free(region->sha256);
	g_free(region->readback_sha256);
	g_free(region);
}

static void
wf_sfi_writer_clear_run(WfSfiWriter *self)
{
	g_clear_pointer(&self->target, g_free);
	g_clear_pointer(&self->readback, g_free);
	g_clear_pointer(&self->sectors, g_free);
	self->n_sectors = 0;
}

static void
wf_sfi_writer_finalize(GObject *object)
{
	WfSfiWriter *self = WF_SFI_WRITER(object);

	wf_sfi_writer_clear_run(self);
	g_clear_object(&self->nor);
	g_clear_object(&self->brom);
	g_clear_object(&self->progress);
	g_clear_pointer(&self->current, g_bytes_unref);
	g_ptr_array_unref(self->regions);
	g_ptr_array_unref(self->notes);
	G_OBJECT_CLASS(wf_sfi_writer_parent_class)->finalize(object);
}

static void
wf_sfi_writer_class_init(WfSfiWriterClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_sfi_writer_finalize;
}

static void
wf_sfi_writer_init(WfSfiWriter *self)
{
	self->regions = g_ptr_array_new_with_free_func(wf_sfi_region_free);
	self->notes = g_ptr_array_new_with_free_func(g_free);
}

/**
 * wf_sfi_writer_new:
 * @brom: a handshaken boot-ROM session
 * @flash_size: bytes of flash on the watch
 *
 * Returns: (transfer full): a writer with no regions, in DIFF mode
 */
WfSfiWriter *
wf_sfi_writer_new(WfBrom *brom, guint32 flash_size)
{
	WfSfiWriter *self;

	g_return_val_if_fail(WF_IS_BROM(brom), NULL);
	g_return_val_if_fail(flash_size > 0 && flash_size % WF_SFI_WRITER_BLOCK == 0, NULL);
	self = g_object_new(WF_TYPE_SFI_WRITER, NULL);
	self->brom = g_object_ref(brom);
	self->nor = wf_sfi_nor_new(brom);
	self->flash_size = flash_size;
	return self;
}

/**
 * wf_sfi_writer_get_nor:
 * @self: a #WfSfiWriter
 *
 * Returns: (transfer none): the flash operations it uses, to tune timeouts
 * and pipelining depth
 */
WfSfiNor *
wf_sfi_writer_get_nor(WfSfiWriter *self)
{
	g_return_val_if_fail(WF_IS_SFI_WRITER(self), NULL);
	return self->nor;
}

void
wf_sfi_writer_set_mode(WfSfiWriter *self, WfSfiWriterMode mode)
{
	g_return_if_fail(WF_IS_SFI_WRITER(self));
	self->mode = mode;
}

void
wf_sfi_writer_set_flags(WfSfiWriter *self, WfSfiWriterFlags flags)
{
	g_return_if_fail(WF_IS_SFI_WRITER(self));
	self->flags = flags;
}

/**
 * wf_sfi_writer_set_progress:
 * @self: a #WfSfiWriter
 * @progress: (nullable): gets "compare", "write" and "verify" steps
 */
void
wf_sfi_writer_set_progress(WfSfiWriter *self, WfProgress *progress)
{
	g_return_if_fail(WF_IS_SFI_WRITER(self));
	g_set_object(&self->progress, progress);
}

/**
 * wf_sfi_writer_set_current:
 * @self: a #WfSfiWriter
 * @current: (nullable): what the whole flash holds now, e.g. read moments
 *   ago in this session
 *
 * In DIFF mode the writer then compares with these bytes instead of reading
 * the watch. Sectors it does not write are not read back either, so the
 * bytes must be trustworthy; %NULL makes it read the watch.
 */
void
wf_sfi_writer_set_current(WfSfiWriter *self, GBytes *current)
{
	g_return_if_fail(WF_IS_SFI_WRITER(self));
	g_clear_pointer(&self->current, g_bytes_unref);
	if (current != NULL)
		self->current = g_bytes_ref(current);
}

/**
 * wf_sfi_writer_add_region:
 * @self: a #WfSfiWriter
 * @name: (nullable): what it is, for messages
 * @offset: flash offset
 * @data: the bytes the flash must hold from @offset on
 * @error: (out): return location
 */
gboolean
wf_sfi_writer_add_region(
	WfSfiWriter *self, const gchar *name, guint32 offset, GBytes *data, GError **error)
{
	WfSfiRegion *region;
	gsize len;

	g_return_val_if_fail(WF_IS_SFI_WRITER(self), FALSE);
	g_return_val_if_fail(data != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	len = g_bytes_get_size(data);
	if (len == 0 || (guint64)offset + len > self->flash_size) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "region %s (0x%08X, %" G_GSIZE_FORMAT " bytes) does not fit in the "
			    "%u-byte flash",
			    name != NULL ? name : "",
			    offset,
			    len,
			    self->flash_size);
		return FALSE;
	}
	region = g_new0(WfSfiRegion, 1);
	region->name = g_strdup(name != NULL ? name : "region");
	region->offset = offset;
	region->data = g_bytes_ref(data);
	region->sha256 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, data);
	g_ptr_array_add(self->regions, region);
	return TRUE;
}

/**
 * wf_sfi_writer_add_plan:
 * @self: a #WfSfiWriter
 * @plan: a flash plan
 * @error: (out): return location
 *
 * Adds every region of @plan, after the plan's own safety rules passed.
 */
gboolean
wf_sfi_writer_add_plan(WfSfiWriter *self, WfFlashPlan *plan, GError **error)
{
	GPtrArray *regions;

	g_return_val_if_fail(WF_IS_SFI_WRITER(self), FALSE);
	g_return_val_if_fail(WF_IS_FLASH_PLAN(plan), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!wf_flash_plan_check(plan, error))
		return FALSE;
	regions = wf_flash_plan_get_regions(plan);
	for (guint i = 0; i < regions->len; i++) {
		WfFlashRegion *region = g_ptr_array_index(regions, i);
		if (!wf_sfi_writer_add_region(
			    self, region->name, region->offset, region->data, error))
			return FALSE;
	}
	return TRUE;
}

/* ------------------------------------------------------------------------ */
/* progress */

static void
wf_sfi_writer_progress_start(WfSfiWriter *self, guint64 total)
{
	self->progress_done = 0;
	self->progress_total = total;
	if (self->progress != NULL)
		wf_progress_set_bytes(self->progress, 0, total);
}

static void
wf_sfi_writer_progress_add(WfSfiWriter *self, guint64 n)
{
	self->progress_done += n;
	if (self->progress != NULL)
		wf_progress_set_bytes(self->progress, self->progress_done, self->progress_total);
}

static void
wf_sfi_writer_progress_step_done(WfSfiWriter *self)
{
	if (self->progress != NULL)
		wf_progress_step_done(self->progress);
}

static void
wf_sfi_writer_read_progress_cb(gsize done, gsize total, gpointer user_data)
{
	WfSfiWriter *self = user_data;

	if (self->progress != NULL)
		wf_progress_set_bytes(
			self->progress, self->progress_done + done, self->progress_total);
}

/* ------------------------------------------------------------------------ */
/* planning */

static gint
wf_sfi_region_cmp(gconstpointer a, gconstpointer b)
{
	const WfSfiRegion *ra = *(const WfSfiRegion *const *)a;
	const WfSfiRegion *rb = *(const WfSfiRegion *const *)b;

	return ra->offset < rb->offset ? -1 : ra->offset > rb->offset ? 1 : 0;
}

static gboolean
wf_sfi_writer_check_regions(WfSfiWriter *self, GError **error)
{
	if (self->regions->len == 0) {
		g_set_error_literal(error, WF_ERROR, WF_ERROR_INVALID_DATA, "nothing to write");
		return FALSE;
	}
	g_ptr_array_sort(self->regions, wf_sfi_region_cmp);
	for (guint i = 1; i < self->regions->len; i++) {
		WfSfiRegion *prev = g_ptr_array_index(self->regions, i - 1);
		WfSfiRegion *region = g_ptr_array_index(self->regions, i);
		if ((guint64)prev->offset + g_bytes_get_size(prev->data) > region->offset) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "regions %s (0x%08X) and %s (0x%08X) overlap",
				    prev->name,
				    prev->offset,
				    region->name,
				    region->offset);
			return FALSE;
		}
	}
	return TRUE;
}

/* span, sectors, and which sectors the regions touch and cover */
static void
wf_sfi_writer_build_sectors(WfSfiWriter *self)
{
	WfSfiRegion *first = g_ptr_array_index(self->regions, 0);
	WfSfiRegion *last = g_ptr_array_index(self->regions, self->regions->len - 1);
	guint64 end = (guint64)last->offset + g_bytes_get_size(last->data);
	g_autofree guint32 *covered = NULL;

	wf_sfi_writer_clear_run(self);
	self->span_start = first->offset - first->offset % WF_SFI_WRITER_SECTOR;
	end = (end + WF_SFI_WRITER_SECTOR - 1) / WF_SFI_WRITER_SECTOR * WF_SFI_WRITER_SECTOR;
	self->span_len = (guint32)(end - self->span_start);
	self->n_sectors = self->span_len / WF_SFI_WRITER_SECTOR;
	self->sectors = g_new0(WfSfiSector, self->n_sectors);
	self->target = g_malloc(self->span_len);
	self->readback = g_malloc(self->span_len);
	memset(self->target, 0xFF, self->span_len);
	memset(self->readback, 0xFF, self->span_len);

	/* bytes of each sector the regions cover */
	covered = g_new0(guint32, self->n_sectors);
	for (guint i = 0; i < self->regions->len; i++) {
		WfSfiRegion *region = g_ptr_array_index(self->regions, i);
		guint32 off = region->offset - self->span_start;
		guint32 len = (guint32)g_bytes_get_size(region->data);
		while (len > 0) {
			guint s = off / WF_SFI_WRITER_SECTOR;
			guint32 n = MIN(len, WF_SFI_WRITER_SECTOR - off % WF_SFI_WRITER_SECTOR);
			covered[s] += n;
			self->sectors[s].affected = TRUE;
			off += n;
			len -= n;
		}
	}
	for (guint s = 0; s < self->n_sectors; s++)
		self->sectors[s].covered = covered[s] == WF_SFI_WRITER_SECTOR;
	self->stats.sectors_total = 0;
	for (guint s = 0; s < self->n_sectors; s++)
		self->stats.sectors_total += self->sectors[s].affected ? 1 : 0;
}

static guint32
wf_sfi_writer_sector_addr(WfSfiWriter *self, guint s)
{
	return self->span_start + s * WF_SFI_WRITER_SECTOR;
}

/* does sector @s need reading before anything is decided? */
static gboolean
wf_sfi_writer_sector_needs_current(WfSfiWriter *self, guint s)
{
	if (!self->sectors[s].affected)
		return FALSE;
	return self->mode == WF_SFI_WRITER_MODE_DIFF || !self->sectors[s].covered;
}

/* a question about one sector: does it need reading, verifying ... */
typedef gboolean (*WfSfiWriterSectorTest)(WfSfiWriter *self, guint s);

static guint64
wf_sfi_writer_bytes_where(WfSfiWriter *self, WfSfiWriterSectorTest test)
{
	guint64 total = 0;

	for (guint s = 0; s < self->n_sectors; s++) {
		if (test(self, s))
			total += WF_SFI_WRITER_SECTOR;
	}
	return total;
}

/*
 * The next run of adjacent sectors that pass @test, from *@first on: on
 * return it is [*@first, *@end). Runs are read as one, which is faster than
 * one sector at a time.
 */
static gboolean
wf_sfi_writer_next_run(WfSfiWriter *self, WfSfiWriterSectorTest test, guint *first, guint *end)
{
	guint s = *first;

	while (s < self->n_sectors && !test(self, s))
		s++;
	if (s >= self->n_sectors)
		return FALSE;
	*first = s;
	while (s < self->n_sectors && test(self, s))
		s++;
	*end = s;
	return TRUE;
}

/* @len bytes of flash at @addr into the readback copy, through the memory window */
static gboolean
wf_sfi_writer_read_readback(
	WfSfiWriter *self, guint32 addr, gsize len, GCancellable *cancellable, GError **error)
{
	return wf_brom_read_memory(self->brom,
				   addr,
				   self->readback + (addr - self->span_start),
				   len,
				   0,
				   0,
				   wf_sfi_writer_read_progress_cb,
				   self,
				   cancellable,
				   error);
}

/* the bytes of runs of sectors that need it, through the memory window */
static gboolean
wf_sfi_writer_read_current(WfSfiWriter *self, GCancellable *cancellable, GError **error)
{
	const guint8 *given = NULL;
	gsize given_len = 0;
	gint64 t0 = g_get_monotonic_time();
	guint s = 0;
	guint e = 0;

	wf_sfi_writer_progress_start(
		self, wf_sfi_writer_bytes_where(self, wf_sfi_writer_sector_needs_current));
	if (self->current != NULL)
		given = g_bytes_get_data(self->current, &given_len);
	while (wf_sfi_writer_next_run(self, wf_sfi_writer_sector_needs_current, &s, &e)) {
		guint32 addr = wf_sfi_writer_sector_addr(self, s);
		gsize len = (gsize)(e - s) * WF_SFI_WRITER_SECTOR;

		if (given != NULL && addr + len <= given_len) {
			memcpy(self->readback + (addr - self->span_start), given + addr, len);
		} else {
			if (!wf_sfi_writer_read_readback(self, addr, len, cancellable, error)) {
				g_prefix_error(error, "reading what the flash holds: ");
				return FALSE;
			}
			self->stats.bytes_compared += len;
		}
		for (guint k = s; k < e; k++)
			self->sectors[k].known = TRUE;
		wf_sfi_writer_progress_add(self, len);
		s = e;
	}
	self->stats.seconds_compare = (g_get_monotonic_time() - t0) / 1e6;
	return TRUE;
}

/* regions over what the watch holds */
static void
wf_sfi_writer_build_target(WfSfiWriter *self)
{
	for (guint s = 0; s < self->n_sectors; s++) {
		gsize off = (gsize)s * WF_SFI_WRITER_SECTOR;
		if (self->sectors[s].known)
			memcpy(self->target + off, self->readback + off, WF_SFI_WRITER_SECTOR);
	}
	for (guint i = 0; i < self->regions->len; i++) {
		WfSfiRegion *region = g_ptr_array_index(self->regions, i);
		gsize len = 0;
		const guint8 *data = g_bytes_get_data(region->data, &len);
		memcpy(self->target + (region->offset - self->span_start), data, len);
	}
}

static WfSfiSectorKind
wf_sfi_writer_classify(const guint8 *cur, const guint8 *want)
{
	gboolean equal = TRUE;

	for (gsize i = 0; i < WF_SFI_WRITER_SECTOR; i++) {
		if (cur[i] == want[i])
			continue;
		/* programming can only clear bits */
		if ((cur[i] & want[i]) != want[i])
			return WF_SFI_SECTOR_ERASE;
		equal = FALSE;
	}
	return equal ? WF_SFI_SECTOR_UNCHANGED : WF_SFI_SECTOR_PROGRAM_ONLY;
}

static void
wf_sfi_writer_classify_all(WfSfiWriter *self)
{
	for (guint s = 0; s < self->n_sectors; s++) {
		WfSfiSector *sector = &self->sectors[s];
		gsize off = (gsize)s * WF_SFI_WRITER_SECTOR;

		if (!sector->affected)
			continue;
		if (self->mode == WF_SFI_WRITER_MODE_FULL) {
			sector->kind = WF_SFI_SECTOR_ERASE;
			continue;
		}
		sector->kind = wf_sfi_writer_classify(self->readback + off, self->target + off);
		if (sector->kind == WF_SFI_SECTOR_UNCHANGED)
			self->stats.sectors_unchanged++;
		else if (sector->kind == WF_SFI_SECTOR_PROGRAM_ONLY)
			self->stats.sectors_program_only++;
	}
}

static guint
wf_sfi_writer_count_pages(const guint8 *data, gsize len)
{
	guint n = 0;

	for (gsize p = 0; p < len; p += WF_SFI_NOR_PAGE_SIZE) {
		for (gsize i = 0; i < WF_SFI_NOR_PAGE_SIZE; i++) {
			if (data[p + i] != 0xFF) {
				n++;
				break;
			}
		}
	}
	return n;
}

/* pages of a program-only sector whose bytes differ */
static guint
wf_sfi_writer_count_diff_pages(const guint8 *cur, const guint8 *want)
{
	guint n = 0;

	for (gsize p = 0; p < WF_SFI_WRITER_SECTOR; p += WF_SFI_NOR_PAGE_SIZE)
		n += memcmp(cur + p, want + p, WF_SFI_NOR_PAGE_SIZE) != 0 ? 1 : 0;
	return n;
}

/*
 * One block erase instead of sector erases? Only when all 16 sectors are
 * ours to rewrite, and cheaper by the cost model: a block erase also makes
 * every non-blank page of the block need programming again.
 */
static gboolean
wf_sfi_writer_use_block_erase(WfSfiWriter *self, guint first)
{
	guint64 cost_block = WF_SFI_WRITER_COST_BLOCK_ERASE_US;
	guint64 cost_sectors = 0;
	guint n_erase = 0;

	if (first + WF_SFI_WRITER_SECTORS_PER_BLK > self->n_sectors ||
	    wf_sfi_writer_sector_addr(self, first) % WF_SFI_WRITER_BLOCK != 0)
		return FALSE;
	for (guint s = first; s < first + WF_SFI_WRITER_SECTORS_PER_BLK; s++) {
		WfSfiSector *sector = &self->sectors[s];
		gsize off = (gsize)s * WF_SFI_WRITER_SECTOR;
		guint pages = wf_sfi_writer_count_pages(self->target + off, WF_SFI_WRITER_SECTOR);

		if (!sector->affected)
			return FALSE;
		cost_block += (guint64)pages * WF_SFI_WRITER_COST_PAGE_US;
		if (sector->kind == WF_SFI_SECTOR_ERASE) {
			n_erase++;
			cost_sectors += WF_SFI_WRITER_COST_SECTOR_ERASE_US +
					(guint64)pages * WF_SFI_WRITER_COST_PAGE_US;
		} else if (sector->kind == WF_SFI_SECTOR_PROGRAM_ONLY) {
			cost_sectors += (guint64)wf_sfi_writer_count_diff_pages(
						self->readback + off, self->target + off) *
					WF_SFI_WRITER_COST_PAGE_US;
		}
	}
	if (n_erase == WF_SFI_WRITER_SECTORS_PER_BLK)
		return TRUE;
	return n_erase > 0 && cost_block < cost_sectors;
}

/* ------------------------------------------------------------------------ */
/* writing */

static void
wf_sfi_writer_page_cb(guint32 addr, gsize len, gboolean programmed, gpointer user_data)
{
	wf_sfi_writer_progress_add(WF_SFI_WRITER(user_data), len);
}

static void
wf_sfi_writer_set_state(WfSfiWriter *self, guint first, guint n, WfSfiSectorState state)
{
	for (guint s = first; s < first + n; s++)
		self->sectors[s].state = state;
}

/* programs @n whole sectors from @data; only a complete write marks them written */
static gboolean
wf_sfi_writer_program_sectors(WfSfiWriter *self,
			      guint first,
			      guint n,
			      const guint8 *data,
			      GCancellable *cancellable,
			      GError **error)
{
	if (!wf_sfi_nor_program(self->nor,
				wf_sfi_writer_sector_addr(self, first),
				data,
				(gsize)n * WF_SFI_WRITER_SECTOR,
				wf_sfi_writer_page_cb,
				self,
				cancellable,
				error))
		return FALSE;
	wf_sfi_writer_set_state(self, first, n, WF_SFI_SECTOR_WRITTEN);
	return TRUE;
}

/* a program-only sector: only the pages that differ */
static gboolean
wf_sfi_writer_write_program_only(WfSfiWriter *self,
				 guint s,
				 GCancellable *cancellable,
				 GError **error)
{
	gsize off = (gsize)s * WF_SFI_WRITER_SECTOR;
	guint8 pages[WF_SFI_WRITER_SECTOR];

	/* 0xFF pages are skipped, so blank out the pages that are already right */
	memcpy(pages, self->target + off, sizeof(pages));
	for (gsize p = 0; p < WF_SFI_WRITER_SECTOR; p += WF_SFI_NOR_PAGE_SIZE) {
		if (memcmp(self->readback + off + p, pages + p, WF_SFI_NOR_PAGE_SIZE) == 0)
			memset(pages + p, 0xFF, WF_SFI_NOR_PAGE_SIZE);
	}
	wf_sfi_writer_set_state(self, s, 1, WF_SFI_SECTOR_PROGRAMMING);
	return wf_sfi_writer_program_sectors(self, s, 1, pages, cancellable, error);
}

static gboolean
wf_sfi_writer_write_erase(WfSfiWriter *self, guint s, GCancellable *cancellable, GError **error)
{
	guint32 addr = wf_sfi_writer_sector_addr(self, s);

	if (!wf_sfi_nor_erase_sector(self->nor, addr, NULL, error))
		return FALSE;
	self->stats.sectors_erased++;
	wf_sfi_writer_set_state(self, s, 1, WF_SFI_SECTOR_ERASED);
	return wf_sfi_writer_program_sectors(
		self, s, 1, self->target + (gsize)s * WF_SFI_WRITER_SECTOR, cancellable, error);
}

static gboolean
wf_sfi_writer_write_block(WfSfiWriter *self, guint first, GCancellable *cancellable, GError **error)
{
	guint32 addr = wf_sfi_writer_sector_addr(self, first);

	if (!wf_sfi_nor_erase_block(self->nor, addr, NULL, error))
		return FALSE;
	self->stats.blocks_erased++;
	for (guint s = first; s < first + WF_SFI_WRITER_SECTORS_PER_BLK; s++)
		self->sectors[s].kind = WF_SFI_SECTOR_ERASE;
	wf_sfi_writer_set_state(self, first, WF_SFI_WRITER_SECTORS_PER_BLK, WF_SFI_SECTOR_ERASED);
	return wf_sfi_writer_program_sectors(self,
					     first,
					     WF_SFI_WRITER_SECTORS_PER_BLK,
					     self->target + (gsize)first * WF_SFI_WRITER_SECTOR,
					     cancellable,
					     error);
}

static gboolean
wf_sfi_writer_cancelled(GCancellable *cancellable, GError **error)
{
	return g_cancellable_set_error_if_cancelled(cancellable, error);
}

/* the sectors of one 64 KiB block (or of the part of it in the span) */
static gboolean
wf_sfi_writer_write_one_block(
	WfSfiWriter *self, guint first, guint n, GCancellable *cancellable, GError **error)
{
	if (n == WF_SFI_WRITER_SECTORS_PER_BLK && wf_sfi_writer_use_block_erase(self, first))
		return wf_sfi_writer_write_block(self, first, cancellable, error);
	for (guint s = first; s < first + n; s++) {
		WfSfiSector *sector = &self->sectors[s];

		if (!sector->affected || sector->kind == WF_SFI_SECTOR_UNCHANGED)
			continue;
		if (wf_sfi_writer_cancelled(cancellable, error))
			return FALSE;
		if (sector->kind == WF_SFI_SECTOR_PROGRAM_ONLY) {
			if (!wf_sfi_writer_write_program_only(self, s, cancellable, error))
				return FALSE;
		} else if (!wf_sfi_writer_write_erase(self, s, cancellable, error)) {
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
wf_sfi_writer_sector_needs_write(WfSfiWriter *self, guint s)
{
	return self->sectors[s].affected && self->sectors[s].kind != WF_SFI_SECTOR_UNCHANGED;
}

static gboolean
wf_sfi_writer_write_all(WfSfiWriter *self, GCancellable *cancellable, GError **error)
{
	gint64 t0 = g_get_monotonic_time();

	/* a block erase counts all its sectors, so the total can grow a little */
	wf_sfi_writer_progress_start(
		self, wf_sfi_writer_bytes_where(self, wf_sfi_writer_sector_needs_write));
	for (guint s = 0; s < self->n_sectors;) {
		guint32 addr = wf_sfi_writer_sector_addr(self, s);
		guint n = MIN((WF_SFI_WRITER_BLOCK - addr % WF_SFI_WRITER_BLOCK) /
				      WF_SFI_WRITER_SECTOR,
			      self->n_sectors - s);

		if (wf_sfi_writer_cancelled(cancellable, error))
			return FALSE;
		if (!wf_sfi_writer_write_one_block(self, s, n, cancellable, error))
			return FALSE;
		s += n;
	}
	self->stats.seconds_write = (g_get_monotonic_time() - t0) / 1e6;
	return TRUE;
}

/* ------------------------------------------------------------------------ */
/* verifying */

static gboolean
wf_sfi_writer_sector_needs_verify(WfSfiWriter *self, guint s)
{
	const WfSfiSector *sector = &self->sectors[s];

	if (!sector->affected)
		return FALSE;
	if (self->mode == WF_SFI_WRITER_MODE_FULL ||
	    (self->flags & WF_SFI_WRITER_FLAG_VERIFY_ALL) != 0)
		return TRUE;
	return sector->state == WF_SFI_SECTOR_WRITTEN;
}

static gsize
wf_sfi_writer_first_diff(const guint8 *a, const guint8 *b, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		if (a[i] != b[i])
			return i;
	}
	return len;
}

static gboolean
wf_sfi_writer_read_window(
	WfSfiWriter *self, guint s, guint n, GCancellable *cancellable, GError **error)
{
	guint32 addr = wf_sfi_writer_sector_addr(self, s);
	gsize len = (gsize)n * WF_SFI_WRITER_SECTOR;

	if (!wf_sfi_writer_read_readback(self, addr, len, cancellable, error)) {
		g_prefix_error(
			error, "reading back 0x%08X–0x%08X: ", addr, addr + (guint32)len - 1);
		return FALSE;
	}
	self->stats.bytes_verified += len;
	return TRUE;
}

/* the window disagrees: ask the flash itself through SFI 0x03 */
static gboolean
wf_sfi_writer_sfi_agrees(WfSfiWriter *self, guint s, gboolean *agrees, GError **error)
{
	gsize off = (gsize)s * WF_SFI_WRITER_SECTOR;
	guint8 buf[WF_SFI_WRITER_SECTOR];

	if (!wf_sfi_nor_read(
		    self->nor, wf_sfi_writer_sector_addr(self, s), buf, sizeof(buf), NULL, error))
		return FALSE;
	*agrees = memcmp(buf, self->target + off, sizeof(buf)) == 0;
	if (*agrees)
		memcpy(self->readback + off, buf, sizeof(buf));
	return TRUE;
}

static gboolean
wf_sfi_writer_verify_sector(WfSfiWriter *self, guint s, GCancellable *cancellable, GError **error)
{
	gsize off = (gsize)s * WF_SFI_WRITER_SECTOR;
	guint32 addr = wf_sfi_writer_sector_addr(self, s);
	gsize bad;
	gboolean agrees = FALSE;

	for (guint attempt = 0;; attempt++) {
		bad = wf_sfi_writer_first_diff(
			self->readback + off, self->target + off, WF_SFI_WRITER_SECTOR);
		if (bad == WF_SFI_WRITER_SECTOR)
			break;
		g_debug("verify: 0x%08X differs in the window", addr + (guint32)bad);
		if (!wf_sfi_writer_sfi_agrees(self, s, &agrees, error))
			return FALSE;
		if (agrees) {
			self->stats.window_mismatches++;
			g_ptr_array_add(
				self->notes,
				g_strdup_printf("the memory window read 0x%08X wrong, but the "
						"flash itself (SFI 0x03) holds the right bytes",
						addr + (guint32)bad));
			break;
		}
		if (attempt > 0) {
			guint8 want = self->target[off + bad];
			guint8 got = 0xFF;
			g_autoptr(GError) error_local = NULL;
			/* what the flash itself says, for the message */
			if (!wf_sfi_nor_read(
				    self->nor, addr + (guint32)bad, &got, 1, NULL, &error_local))
				got = self->readback[off + bad];
			g_set_error(
				error,
				WF_ERROR,
				WF_ERROR_VERIFY_FAILED,
				"verify failed at 0x%08X: it should hold 0x%02X but holds 0x%02X "
				"(read through the memory window and through SFI 0x03, after "
				"writing the sector twice)",
				addr + (guint32)bad,
				want,
				got);
			return FALSE;
		}
		/* write the sector once more, the safe way: erase and program */
		self->stats.sectors_rewritten++;
		self->sectors[s].kind = WF_SFI_SECTOR_ERASE;
		if (!wf_sfi_writer_write_erase(self, s, NULL, error))
			return FALSE;
		if (!wf_sfi_writer_read_window(self, s, 1, cancellable, error))
			return FALSE;
	}
	self->sectors[s].state = WF_SFI_SECTOR_VERIFIED;
	return TRUE;
}

static gboolean
wf_sfi_writer_verify_regions(WfSfiWriter *self, GError **error)
{
	for (guint i = 0; i < self->regions->len; i++) {
		WfSfiRegion *region = g_ptr_array_index(self->regions, i);
		gsize len = g_bytes_get_size(region->data);

		g_free(region->readback_sha256);
		region->readback_sha256 = g_compute_checksum_for_data(
			G_CHECKSUM_SHA256,
			self->readback + (region->offset - self->span_start),
			len);
		if (g_strcmp0(region->readback_sha256, region->sha256) != 0) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_VERIFY_FAILED,
				    "verify failed: %s (0x%08X, %" G_GSIZE_FORMAT
				    " bytes) reads back "
				    "with SHA-256 %s instead of %s",
				    region->name,
				    region->offset,
				    len,
				    region->readback_sha256,
				    region->sha256);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
wf_sfi_writer_verify_all(WfSfiWriter *self, GCancellable *cancellable, GError **error)
{
	gint64 t0 = g_get_monotonic_time();
	guint s = 0;
	guint e = 0;

	/* reading back cannot hurt the watch, so cancelling stops it at once */
	wf_sfi_writer_progress_start(
		self, wf_sfi_writer_bytes_where(self, wf_sfi_writer_sector_needs_verify));
	while (wf_sfi_writer_next_run(self, wf_sfi_writer_sector_needs_verify, &s, &e)) {
		if (!wf_sfi_writer_read_window(self, s, e - s, cancellable, error))
			return FALSE;
		for (guint k = s; k < e; k++) {
			if (!wf_sfi_writer_verify_sector(self, k, cancellable, error))
				return FALSE;
		}
		wf_sfi_writer_progress_add(self, (guint64)(e - s) * WF_SFI_WRITER_SECTOR);
		s = e;
	}
	self->stats.seconds_verify = (g_get_monotonic_time() - t0) / 1e6;
	return wf_sfi_writer_verify_regions(self, error);
}

/* ------------------------------------------------------------------------ */
/* running */

static gboolean
wf_sfi_writer_prepare_watch(WfSfiWriter *self, GCancellable *cancellable, GError **error)
{
	/* the watch resets itself mid-write if these are left on; the window
	 * must show the flash at 0 for comparing and verifying */
	if (!wf_brom_disable_watchdog(self->brom, cancellable, error) ||
	    !wf_brom_extend_charger_wdt(self->brom, cancellable, error) ||
	    !wf_brom_remap_flash(self->brom, cancellable, error)) {
		g_prefix_error(error, "preparing the watch for writing: ");
		return FALSE;
	}
	return TRUE;
}

static gboolean
wf_sfi_writer_check_flash(WfSfiWriter *self, GCancellable *cancellable, GError **error)
{
	guint8 id[3] = {0};

	if (!wf_sfi_nor_read_jedec_id(self->nor, id, cancellable, error))
		return FALSE;
	if ((id[0] == 0x00 && id[1] == 0x00 && id[2] == 0x00) ||
	    (id[0] == 0xFF && id[1] == 0xFF && id[2] == 0xFF)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_NOT_SUPPORTED,
			    "no flash answers through the SFI controller (JEDEC id %02X %02X %02X)",
			    id[0],
			    id[1],
			    id[2]);
		return FALSE;
	}
	if (id[2] >= 16 && id[2] < 32 && (1u << id[2]) < self->flash_size) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_REFUSED,
			    "the flash (JEDEC id %02X %02X %02X) holds %u bytes, fewer than the "
			    "%u to write to",
			    id[0],
			    id[1],
			    id[2],
			    1u << id[2],
			    self->flash_size);
		return FALSE;
	}
	return TRUE;
}

static gboolean
wf_sfi_writer_anything_to_write(WfSfiWriter *self)
{
	return wf_sfi_writer_bytes_where(self, wf_sfi_writer_sector_needs_write) > 0;
}

static void
wf_sfi_writer_add_steps(WfSfiWriter *self)
{
	gboolean diff = self->mode == WF_SFI_WRITER_MODE_DIFF;

	if (self->progress == NULL)
		return;
	wf_progress_add_step(
		self->progress, "compare", diff ? 40 : 2, "Reading what the flash holds");
	wf_progress_add_step(self->progress, "write", diff ? 45 : 75, "Erasing and programming");
	wf_progress_add_step(
		self->progress, "verify", diff ? 15 : 23, "Reading back what was written");
}

static gboolean
wf_sfi_writer_run_inner(WfSfiWriter *self, GCancellable *cancellable, GError **error)
{
	g_autofree gchar *note = NULL;

	if (!wf_sfi_writer_check_regions(self, error))
		return FALSE;
	wf_sfi_writer_build_sectors(self);
	wf_sfi_writer_add_steps(self);
	if (!wf_sfi_writer_prepare_watch(self, cancellable, error))
		return FALSE;
	if (!wf_sfi_writer_check_flash(self, cancellable, error))
		return FALSE;
	if (!wf_sfi_writer_read_current(self, cancellable, error))
		return FALSE;
	wf_sfi_writer_progress_step_done(self);
	wf_sfi_writer_build_target(self);
	wf_sfi_writer_classify_all(self);
	if (wf_sfi_writer_anything_to_write(self)) {
		if (wf_sfi_writer_cancelled(cancellable, error))
			return FALSE;
		if (!wf_sfi_nor_clear_protection(self->nor, &self->old_status, &note, NULL, error))
			return FALSE;
		if (note != NULL) {
			self->protection_cleared = TRUE;
			g_ptr_array_add(self->notes, g_steal_pointer(&note));
		}
		if (!wf_sfi_writer_write_all(self, cancellable, error))
			return FALSE;
	}
	wf_sfi_writer_progress_step_done(self);
	if (!wf_sfi_writer_verify_all(self, cancellable, error))
		return FALSE;
	wf_sfi_writer_progress_step_done(self);
	return TRUE;
}

/* sets the block protection back the way it was found */
static gboolean
wf_sfi_writer_restore_protection(WfSfiWriter *self, GError **error)
{
	if (!self->protection_cleared || (self->flags & WF_SFI_WRITER_FLAG_KEEP_UNPROTECTED) != 0)
		return TRUE;
	if (!wf_sfi_nor_write_status(self->nor, self->old_status, NULL, error))
		return FALSE;
	self->protection_cleared = FALSE;
	g_ptr_array_add(self->notes,
			g_strdup_printf("the flash's block protection was set back (status "
					"register 0x%02X)",
					self->old_status &
						(guint8) ~(WF_SFI_NOR_SR_WIP | WF_SFI_NOR_SR_WEL)));
	return TRUE;
}

static const gchar *
wf_sfi_sector_state_to_string(WfSfiSectorState state)
{
	switch (state) {
	case WF_SFI_SECTOR_ERASED:
		return "erased but not completely programmed";
	case WF_SFI_SECTOR_PROGRAMMING:
		return "partly programmed";
	case WF_SFI_SECTOR_WRITTEN:
		return "written, not verified";
	case WF_SFI_SECTOR_VERIFIED:
		return "written and verified";
	default:
		return "untouched";
	}
}

/**
 * wf_sfi_writer_describe_written:
 * @self: a #WfSfiWriter
 *
 * Returns: (transfer full): which flash ranges were written and how far,
 *   e.g. "0x00000000–0x0000FFFF written and verified", or "nothing was
 *   written"
 */
gchar *
wf_sfi_writer_describe_written(WfSfiWriter *self)
{
	GString *str = g_string_new(NULL);

	g_return_val_if_fail(WF_IS_SFI_WRITER(self), NULL);
	for (guint s = 0; s < self->n_sectors;) {
		WfSfiSectorState state = self->sectors[s].state;
		guint e = s + 1;

		if (state == WF_SFI_SECTOR_UNTOUCHED) {
			s++;
			continue;
		}
		while (e < self->n_sectors && self->sectors[e].state == state)
			e++;
		g_string_append_printf(str,
				       "%s0x%08X–0x%08X %s",
				       str->len > 0 ? ", " : "",
				       wf_sfi_writer_sector_addr(self, s),
				       wf_sfi_writer_sector_addr(self, e) - 1,
				       wf_sfi_sector_state_to_string(state));
		s = e;
	}
	if (str->len == 0)
		g_string_append(str, "nothing was written");
	return g_string_free(str, FALSE);
}

static gboolean
wf_sfi_writer_anything_written(WfSfiWriter *self)
{
	for (guint s = 0; s < self->n_sectors; s++) {
		if (self->sectors[s].state != WF_SFI_SECTOR_UNTOUCHED)
			return TRUE;
	}
	return FALSE;
}

/* After a failure: the flash idle and write-disabled, protection back, and
 * the error saying exactly what was written. */
static void
wf_sfi_writer_fail(WfSfiWriter *self, GError *error)
{
	g_autoptr(GError) error_prot = NULL;
	g_autofree gchar *state = wf_sfi_nor_make_safe(self->nor);
	g_autofree gchar *written = wf_sfi_writer_describe_written(self);
	GString *msg = g_string_new(error->message);

	if (!wf_sfi_writer_restore_protection(self, &error_prot))
		g_string_append_printf(msg,
				       "; the block protection could not be set back (%s)",
				       error_prot->message);
	else if (self->protection_cleared)
		g_string_append(msg, "; block protection is left cleared");
	if (!g_str_has_prefix(state, "the flash is idle") || wf_sfi_writer_anything_written(self))
		g_string_append_printf(msg, "; %s", state);
	g_string_append_printf(msg, "; %s", written);
	if (wf_sfi_writer_anything_written(self))
		g_string_append(msg,
				"; the watch stays in boot-ROM mode: write the same data again or "
				"restore its backup before unplugging it");
	g_free(error->message);
	error->message = g_string_free(msg, FALSE);
}

/**
 * wf_sfi_writer_run:
 * @self: a #WfSfiWriter with regions
 * @cancellable: a #GCancellable, or %NULL; looked at between pages while
 *   writing (the page being programmed is finished first)
 * @error: (out): return location
 *
 * Prepares the watch (watchdogs, flash remap), compares (DIFF mode), clears
 * block protection if it is on, erases and programs, verifies, and sets the
 * protection back. On failure or cancellation the error says which ranges
 * were written and in which state the flash is.
 */
gboolean
wf_sfi_writer_run(WfSfiWriter *self, GCancellable *cancellable, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	gint64 t0 = g_get_monotonic_time();
	const WfSfiNorStats *nor;
	guint8 sr = 0;
	gboolean ok;

	g_return_val_if_fail(WF_IS_SFI_WRITER(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	memset(&self->stats, 0, sizeof(self->stats));
	self->protection_cleared = FALSE;
	wf_sfi_nor_reset_stats(self->nor);
	ok = wf_sfi_writer_run_inner(self, cancellable, &error_local) &&
	     wf_sfi_writer_restore_protection(self, &error_local) &&
	     wf_sfi_nor_wait_idle(self->nor, WF_SFI_NOR_OP_ANY, 0, &sr, NULL, &error_local) &&
	     ((sr & WF_SFI_NOR_SR_WEL) == 0 ||
	      wf_sfi_nor_write_disable(self->nor, NULL, &error_local));
	/* the counts are wanted after a failure too */
	nor = wf_sfi_nor_get_stats(self->nor);
	self->stats.pages_programmed = nor->pages_programmed;
	self->stats.pages_skipped = nor->pages_skipped;
	self->stats.page_retries = nor->page_retries;
	self->stats.seconds_total = (g_get_monotonic_time() - t0) / 1e6;
	if (!ok) {
		if (self->sectors != NULL)
			wf_sfi_writer_fail(self, error_local);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	if (self->progress != NULL)
		wf_progress_finish(self->progress);
	return TRUE;
}

const WfSfiWriterStats *
wf_sfi_writer_get_stats(WfSfiWriter *self)
{
	g_return_val_if_fail(WF_IS_SFI_WRITER(self), NULL);
	return &self->stats;
}

/**
 * wf_sfi_writer_get_notes:
 * @self: a #WfSfiWriter
 *
 * Returns: (transfer none) (element-type utf8): things the user should know,
 *   e.g. that block protection was cleared and set back
 */
GPtrArray *
wf_sfi_writer_get_notes(WfSfiWriter *self)
{
	g_return_val_if_fail(WF_IS_SFI_WRITER(self), NULL);
	return self->notes;
}

guint
wf_sfi_writer_get_n_regions(WfSfiWriter *self)
{
	g_return_val_if_fail(WF_IS_SFI_WRITER(self), 0);
	return self->regions->len;
}

/* SHA-256 of region @idx (by offset once run) as given */
const gchar *
wf_sfi_writer_get_region_sha256(WfSfiWriter *self, guint idx)
{
	g_return_val_if_fail(WF_IS_SFI_WRITER(self), NULL);
	g_return_val_if_fail(idx < self->regions->len, NULL);
	return ((WfSfiRegion *)g_ptr_array_index(self->regions, idx))->sha256;
}

/* SHA-256 of what region @idx read back as, after a successful run */
const gchar *
wf_sfi_writer_get_readback_sha256(WfSfiWriter *self, guint idx)
{
	g_return_val_if_fail(WF_IS_SFI_WRITER(self), NULL);
	g_return_val_if_fail(idx < self->regions->len, NULL);
	return ((WfSfiRegion *)g_ptr_array_index(self->regions, idx))->readback_sha256;
}

/* ------------------------------------------------------------------------ */
/* restoring a backup */

static gboolean
wf_sfi_restore_check_identity(WfSfiWriter *writer,
			      WfDeviceInfo *info,
			      WfBackup *backup,
			      WfSfiRestoreFlags flags,
			      GCancellable *cancellable,
			      GError **error)
{
	const gchar *me_id = wf_device_info_get_me_id_string(info);
	const gchar *backup_me_id = wf_backup_get_me_id(backup);
	g_autofree gchar *jedec = NULL;
	guint64 size = wf_backup_get_flash_size(backup);
	guint32 flash_size = wf_device_info_get_flash_size(info);
	g_autofree gchar *why = NULL;

	if (wf_device_info_has_jedec_id(info)) {
		jedec = g_strdup(wf_device_info_get_jedec_id_string(info));
	} else {
		guint8 id[3];
		if (!wf_sfi_nor_read_jedec_id(
			    wf_sfi_writer_get_nor(writer), id, cancellable, error))
			return FALSE;
		jedec = g_strdup_printf("%02X%02X%02X", id[0], id[1], id[2]);
	}
	if (size > flash_size) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_REFUSED,
			    "the backup holds %" G_GUINT64_FORMAT " bytes but this watch's flash "
			    "only %u",
			    size,
			    flash_size);
		return FALSE;
	}
	if (g_ascii_strcasecmp(me_id, backup_me_id) != 0)
		why = g_strdup_printf("its ME ID is %s, this watch's %s", backup_me_id, me_id);
	else if (g_ascii_strcasecmp(jedec, wf_backup_get_jedec_id(backup)) != 0)
		why = g_strdup_printf("it was taken from a flash with JEDEC id %s, this watch "
				      "has %s",
				      wf_backup_get_jedec_id(backup),
				      jedec);
	else if (size != flash_size)
		why = g_strdup_printf("it holds %" G_GUINT64_FORMAT " bytes, this watch's flash %u",
				      size,
				      flash_size);
	if (why == NULL)
		return TRUE;
	if ((flags & WF_SFI_RESTORE_FLAG_ANY_WATCH) != 0) {
		g_ptr_array_add(
			wf_sfi_writer_get_notes(writer),
			g_strdup_printf("restoring a backup of another watch on request: %s", why));
		return TRUE;
	}
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_REFUSED,
		    "refusing to restore %s onto this watch: %s. A backup of another watch "
		    "would give it that watch's IMEI and calibration (expert override exists)",
		    wf_backup_get_dir(backup),
		    why);
	return FALSE;
}

static GBytes *
wf_sfi_restore_load_image(WfBackup *backup, GCancellable *cancellable, GError **error)
{
	g_autofree gchar *path = NULL;
	g_autoptr(GMappedFile) mapped = NULL;
	g_autoptr(GBytes) image = NULL;
	g_autofree gchar *sha256 = NULL;

	/* size and SHA-256 of the file first ... */
	if (!wf_backup_verify(backup, cancellable, error))
		return NULL;
	path = wf_backup_get_image_path(backup);
	mapped = g_mapped_file_new(path, FALSE, error);
	if (mapped == NULL)
		return NULL;
	image = g_mapped_file_get_bytes(mapped);
	/* ... and of exactly the bytes that will be written */
	sha256 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, image);
	if (g_ascii_strcasecmp(sha256, wf_backup_get_sha256(backup)) != 0 ||
	    g_bytes_get_size(image) != wf_backup_get_flash_size(backup)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_VERIFY_FAILED,
			    "%s changed while it was being read: the backup is damaged",
			    path);
		return NULL;
	}
	return g_steal_pointer(&image);
}

/**
 * wf_sfi_restore_backup:
 * @brom: a handshaken boot-ROM session
 * @info: what wf_device_info_identify() found on this watch
 * @backup: a complete backup (wf_backup_load() or wf_backup_create())
 * @flags: #WfSfiRestoreFlags
 * @progress: (nullable): gets the writer's steps
 * @writer_out: (out) (optional) (transfer full): the writer, for its stats and
 *   notes, also when the restore failed after it started
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * Puts a watch's own backup back through SFI, with no Download Agent, so it
 * also works on a watch whose header block or bootloader is gone. Refuses a
 * backup whose ME ID, JEDEC id or size is not this watch's unless
 * %WF_SFI_RESTORE_FLAG_ANY_WATCH; checks the backup's SHA-256 before writing;
 * then writes the whole image differentially (only sectors that differ, the
 * NVRAM tail included, since it is the watch's own) or, with
 * %WF_SFI_RESTORE_FLAG_FULL, erases and programs all of it; and verifies it
 * against the backup's SHA-256.
 */
gboolean
wf_sfi_restore_backup(WfBrom *brom,
		      WfDeviceInfo *info,
		      WfBackup *backup,
		      WfSfiRestoreFlags flags,
		      WfProgress *progress,
		      WfSfiWriter **writer_out,
		      GCancellable *cancellable,
		      GError **error)
{
	g_autoptr(WfSfiWriter) writer = NULL;
	g_autoptr(GBytes) image = NULL;
	g_autofree gchar *name = NULL;
	gboolean ok;

	g_return_val_if_fail(WF_IS_BROM(brom), FALSE);
	g_return_val_if_fail(WF_IS_DEVICE_INFO(info), FALSE);
	g_return_val_if_fail(WF_IS_BACKUP(backup), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (wf_device_info_get_flash_size(info) == 0 ||
	    wf_device_info_get_flash_size(info) % WF_SFI_WRITER_BLOCK != 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_NOT_SUPPORTED,
			    "the flash size of this watch is not known; give it with --flash-size");
		return FALSE;
	}
	writer = wf_sfi_writer_new(brom, wf_device_info_get_flash_size(info));
	if (!wf_sfi_restore_check_identity(writer, info, backup, flags, cancellable, error))
		return FALSE;
	image = wf_sfi_restore_load_image(backup, cancellable, error);
	if (image == NULL)
		return FALSE;
	name = g_strdup_printf("backup %s", wf_backup_get_dir(backup));
	if (!wf_sfi_writer_add_region(writer, name, 0, image, error))
		return FALSE;
	wf_sfi_writer_set_mode(writer,
			       (flags & WF_SFI_RESTORE_FLAG_FULL) != 0 ? WF_SFI_WRITER_MODE_FULL
								       : WF_SFI_WRITER_MODE_DIFF);
	if ((flags & WF_SFI_RESTORE_FLAG_KEEP_UNPROTECTED) != 0)
		wf_sfi_writer_set_flags(writer, WF_SFI_WRITER_FLAG_KEEP_UNPROTECTED);
	wf_sfi_writer_set_progress(writer, progress);
	ok = wf_sfi_writer_run(writer, cancellable, error);
	if (ok && g_ascii_strcasecmp(wf_sfi_writer_get_readback_sha256(writer, 0),
				     wf_backup_get_sha256(backup)) != 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_VERIFY_FAILED,
			    "the flash reads back with SHA-256 %s, the backup has %s",
			    wf_sfi_writer_get_readback_sha256(writer, 0),
			    wf_backup_get_sha256(backup));
		ok = FALSE;
	}
	if (writer_out != NULL)
		*writer_out = g_steal_pointer(&writer);
	return ok;
}
