/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-flash-job.h"

#include <stdio.h>
#include <string.h>

#include "wf-boot-header.h"
#include "wf-cfg.h"
#include "wf-compat.h"
#include "wf-da-status.h"
#include "wf-da.h"
#include "wf-error.h"
#include "wf-firmware-package.h"
#include "wf-gfh.h"
#include "wf-profile-db.h"
#include "wf-rom-identity.h"
#include "wf-sfi-writer.h"

/*
 * How a write is organised (docs/flashing.md):
 *  - everything the job knows about the flash lives in two full-size
 *    buffers: @current (what the watch holds, per 4 KiB sector "known" or
 *    not) and @target (what it must hold where the plan writes);
 *  - the plan (WfFlashPlan) says what may be written and runs the safety
 *    rules; the writes (WfFlashWrite) are the differing sectors of the
 *    plan's regions, cut at 64 KiB block edges: that block is the unit of
 *    writing, verifying and cancelling;
 *  - every write is read back right after it went out, so at any moment the
 *    job can say exactly what the watch holds.
 */

/* DB ENABLE_WATCHDOG arguments every tool sends (protocol.md §5.9) */
#define WF_FLASH_JOB_DA_WDT_TIMEOUT 0x0140
/* how often a block whose read-back differs is written again before giving up */
#define WF_FLASH_JOB_WRITE_ATTEMPTS 2
/* D3 file type for raw blocks: the DA is only known to accept these for
 * main-region files [X: 0x0001, 0x0002, 0x0100, 0x0180, 0x7001 tried]; raw
 * blocks are declared as the MAUI ROM type [I] */
#define WF_FLASH_JOB_DA_RAW_FILE_TYPE 0x0100

struct _WfFlashJob {
	GObject parent_instance;
	WfFlashJobKind kind;
	WfFlashMethod method_requested;
	WfFlashJobFlags flags;
	WfBrom *brom;
	WfDeviceInfo *info;
	gchar *backup_dir;
	gchar *backups_folder;
	gchar *package;
	guint32 erase_offset;
	guint32 erase_length;
	gchar *da_path;
	WfDaFlatLayout da_flat;
	gboolean has_da_flat;
	guint32 da_packet_size; /* 0: WfDa's default */
	WfFlashHistory *history;
	WfFlashJobReconnectFunc reconnect_func;
	gpointer reconnect_data;
	GDestroyNotify reconnect_destroy;

	/* prepare() */
	gboolean prepared;
	gboolean watch_ready; /* watchdogs off, flash remapped */
	WfBackup *backup;     /* restore: the image; else: the protecting backup */
	GBytes *backup_image;
	WfBackup *own_backup; /* restore of another watch: this watch's backup */
	guint32 flash_size;
	guint8 *current;
	guint8 *current_known; /* one flag per sector */
	guint8 *target;
	WfFlashPlan *plan;
	GPtrArray *writes; /* (element-type WfFlashWrite) */
	GPtrArray *notes;  /* (element-type utf8) */
	GPtrArray *sources;
	guint16 target_hw_code;
	gboolean has_fs;
	guint32 fs_offset;
	guint32 fs_length;
	gchar *fs_source;
	gboolean up_to_date;
	WfFlashMethod method;
	gchar *method_reason;
	WfDaFile *da_file;
	const WfDaEntry *da_entry;
	WfCfg *cfg;		       /* flash: the package's .cfg, if it has one */
	WfFirmwarePackage *fw_package; /* flash: a .cfg package or an archive */
	WfCompat *compat;

	/* run() */
	WfDa *da;
	gboolean ran;
	gchar *result;
	gchar *error_message;
	gdouble seconds;
	guint64 bytes_done; /* verified bytes, for progress */
	WfProgress *progress;
};

G_DEFINE_FINAL_TYPE(WfFlashJob, wf_flash_job, G_TYPE_OBJECT)

/* ---- small helpers --------------------------------------------------------------------------- */

const gchar *
wf_flash_method_to_string(WfFlashMethod method)
{
	switch (method) {
	case WF_FLASH_METHOD_AUTO:
		return "auto";
	case WF_FLASH_METHOD_SFI:
		return "sfi";
	case WF_FLASH_METHOD_DA:
		return "da";
	default:
		return "unknown";
	}
}

/**
 * wf_flash_method_from_string:
 * @text: "auto", "sfi" or "da"
 * @method: (out): the method
 * @error: (out): return location
 */
gboolean
wf_flash_method_from_string(const gchar *text, WfFlashMethod *method, GError **error)
{
	g_return_val_if_fail(method != NULL, FALSE);
	if (text == NULL || g_ascii_strcasecmp(text, "auto") == 0) {
		*method = WF_FLASH_METHOD_AUTO;
		return TRUE;
	}
	if (g_ascii_strcasecmp(text, "sfi") == 0) {
		*method = WF_FLASH_METHOD_SFI;
		return TRUE;
	}
	if (g_ascii_strcasecmp(text, "da") == 0) {
		*method = WF_FLASH_METHOD_DA;
		return TRUE;
	}
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_INVALID_DATA,
		    "“%s” is not a write method (sfi, da or auto)",
		    text);
	return FALSE;
}

const gchar *
wf_flash_job_kind_to_string(WfFlashJobKind kind)
{
	switch (kind) {
	case WF_FLASH_JOB_KIND_RESTORE:
		return WF_FLASH_HISTORY_OP_RESTORE;
	case WF_FLASH_JOB_KIND_FLASH:
		return WF_FLASH_HISTORY_OP_FLASH;
	case WF_FLASH_JOB_KIND_ERASE:
		return WF_FLASH_HISTORY_OP_ERASE;
	default:
		return "unknown";
	}
}

const gchar *
wf_flash_write_state_to_string(WfFlashWriteState state)
{
	switch (state) {
	case WF_FLASH_WRITE_STATE_PENDING:
		return "not-written";
	case WF_FLASH_WRITE_STATE_WRITTEN:
		return "written";
	case WF_FLASH_WRITE_STATE_VERIFIED:
		return "verified";
	case WF_FLASH_WRITE_STATE_MISMATCH:
		return "mismatch";
	default:
		return "unknown";
	}
}

static void
wf_flash_write_free(WfFlashWrite *write)
{
	if (write->data != NULL)
		g_bytes_unref(write->data);
	g_free(write->sha256);
	g_free(write);
}

static void
wf_flash_job_note(WfFlashJob *self, const gchar *format, ...) G_GNUC_PRINTF(2, 3);

/* notes are what the user should read besides the plan: why a method was
 * chosen, what was skipped, where the file system range came from */
static void
wf_flash_job_note(WfFlashJob *self, const gchar *format, ...)
{
	va_list args;
	gchar *text;

	va_start(args, format);
	text = g_strdup_vprintf(format, args);
	va_end(args);
	g_debug("%s", text);
	g_ptr_array_add(self->notes, text);
}

static gboolean
wf_flash_job_ids_equal(const gchar *a, const gchar *b)
{
	return a != NULL && b != NULL && g_ascii_strcasecmp(a, b) == 0;
}

static guint16
wf_flash_job_parse_chip(const gchar *text)
{
	guint64 value = 0;
	const gchar *p;

	if (text == NULL)
		return 0;
	p = text;
	if (g_ascii_strncasecmp(p, "MT", 2) == 0)
		p += 2;
	else if (g_ascii_strncasecmp(p, "0x", 2) == 0)
		p += 2;
	/* "MT6261", "MT6261DA", "0x6261": four hex digits */
	if (strlen(p) < 4)
		return 0;
	for (guint i = 0; i < 4; i++) {
		if (!g_ascii_isxdigit(p[i]))
			return 0;
		value = value * 16 + (guint64)g_ascii_xdigit_value(p[i]);
	}
	return (guint16)value;
}

static gchar *
wf_flash_job_range_text(guint64 start, guint64 end)
{
	return g_strdup_printf(
		"0x%08" G_GINT64_MODIFIER "X–0x%08" G_GINT64_MODIFIER "X", start, end - 1);
}

/* ---- object ---------------------------------------------------------------------------------- */

static void
wf_flash_job_finalize(GObject *object)
{
	WfFlashJob *self = WF_FLASH_JOB(object);

	g_clear_object(&self->brom);
	g_clear_object(&self->info);
	g_free(self->backup_dir);
	g_free(self->backups_folder);
	g_free(self->package);
	g_free(self->da_path);
	g_clear_object(&self->history);
	if (self->reconnect_destroy != NULL)
		self->reconnect_destroy(self->reconnect_data);
	g_clear_object(&self->backup);
	if (self->backup_image != NULL)
		g_bytes_unref(self->backup_image);
	g_clear_object(&self->own_backup);
	g_free(self->current);
	g_free(self->current_known);
	g_free(self->target);
	g_clear_object(&self->plan);
	g_ptr_array_unref(self->writes);
	g_ptr_array_unref(self->notes);
	g_ptr_array_unref(self->sources);
	g_free(self->fs_source);
	g_free(self->method_reason);
	g_clear_object(&self->da_file);
	g_clear_object(&self->cfg);
	g_clear_object(&self->fw_package);
	g_clear_object(&self->compat);
	g_clear_object(&self->da);
	g_free(self->result);
	g_free(self->error_message);
	G_OBJECT_CLASS(wf_flash_job_parent_class)->finalize(object);
}

static void
wf_flash_job_class_init(WfFlashJobClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_flash_job_finalize;
}

static void
wf_flash_job_source_free(WfFlashHistorySource *source)
{
	g_free(source->path);
	g_free(source->sha256);
	g_free(source);
}

static void
wf_flash_job_init(WfFlashJob *self)
{
	self->writes = g_ptr_array_new_with_free_func((GDestroyNotify)wf_flash_write_free);
	self->notes = g_ptr_array_new_with_free_func(g_free);
	self->sources = g_ptr_array_new_with_free_func((GDestroyNotify)wf_flash_job_source_free);
	self->history = wf_flash_history_new(NULL);
}

/**
 * wf_flash_job_new:
 * @kind: restore, flash or erase
 *
 * Returns: (transfer full): a job; give it a device and its inputs, then
 * wf_flash_job_prepare() and wf_flash_job_run()
 */
WfFlashJob *
wf_flash_job_new(WfFlashJobKind kind)
{
	WfFlashJob *self = g_object_new(WF_TYPE_FLASH_JOB, NULL);
	self->kind = kind;
	return self;
}

/**
 * wf_flash_job_set_device:
 * @self: a #WfFlashJob
 * @brom: a handshaken boot ROM session
 * @info: what wf_device_info_identify() found on it
 */
void
wf_flash_job_set_device(WfFlashJob *self, WfBrom *brom, WfDeviceInfo *info)
{
	g_return_if_fail(WF_IS_FLASH_JOB(self));
	g_return_if_fail(WF_IS_BROM(brom));
	g_return_if_fail(WF_IS_DEVICE_INFO(info));
	g_set_object(&self->brom, brom);
	g_set_object(&self->info, info);
	self->watch_ready = FALSE;
}

void
wf_flash_job_set_method(WfFlashJob *self, WfFlashMethod method)
{
	g_return_if_fail(WF_IS_FLASH_JOB(self));
	self->method_requested = method;
}

void
wf_flash_job_set_flags(WfFlashJob *self, WfFlashJobFlags flags)
{
	g_return_if_fail(WF_IS_FLASH_JOB(self));
	self->flags = flags;
}

/**
 * wf_flash_job_set_backup_dir:
 * @self: a #WfFlashJob
 * @dir: (nullable): restore: the backup to write back; flash and erase: the
 *   backup of this watch that protects the write (else it is looked for in
 *   the backups folder)
 */
void
wf_flash_job_set_backup_dir(WfFlashJob *self, const gchar *dir)
{
	g_return_if_fail(WF_IS_FLASH_JOB(self));
	g_free(self->backup_dir);
	self->backup_dir = g_strdup(dir);
}

/**
 * wf_flash_job_set_backups_folder:
 * @self: a #WfFlashJob
 * @folder: (nullable): where backups are looked for by ME ID and JEDEC id;
 *   %NULL = $XDG_DATA_HOME/wristflash/backups
 */
void
wf_flash_job_set_backups_folder(WfFlashJob *self, const gchar *folder)
{
	g_return_if_fail(WF_IS_FLASH_JOB(self));
	g_free(self->backups_folder);
	self->backups_folder = g_strdup(folder);
}

/**
 * wf_flash_job_set_package:
 * @self: a #WfFlashJob
 * @path: a firmware folder (a .cfg and its files, or .bin files with GFH
 *   headers) or a single GFH .bin file
 */
void
wf_flash_job_set_package(WfFlashJob *self, const gchar *path)
{
	g_return_if_fail(WF_IS_FLASH_JOB(self));
	g_free(self->package);
	self->package = g_strdup(path);
}

void
wf_flash_job_set_erase_range(WfFlashJob *self, guint32 offset, guint32 length)
{
	g_return_if_fail(WF_IS_FLASH_JOB(self));
	self->erase_offset = offset;
	self->erase_length = length;
}

/**
 * wf_flash_job_set_da_file:
 * @self: a #WfFlashJob
 * @path: (nullable): a Download Agent file; %NULL = look next to the inputs
 *   and in the user's DA folder (wf_da_file_find())
 * @flat: (nullable): its layout if it is a flat file
 */
void
wf_flash_job_set_da_file(WfFlashJob *self, const gchar *path, const WfDaFlatLayout *flat)
{
	g_return_if_fail(WF_IS_FLASH_JOB(self));
	g_free(self->da_path);
	self->da_path = g_strdup(path);
	self->has_da_flat = flat != NULL;
	if (flat != NULL)
		self->da_flat = *flat;
}

/**
 * wf_flash_job_set_da_packet_size:
 * @self: a #WfFlashJob
 * @packet_size: bytes per D5/D6 packet, 0 for the usual 4 KiB
 *
 * Hosts use 0x400 to 0x1000 (protocol.md §5.6); larger packets spend less
 * of the link on turnarounds, but whether a real DA buffers more is not
 * known [I], so it is the user's choice.
 */
void
wf_flash_job_set_da_packet_size(WfFlashJob *self, guint32 packet_size)
{
	g_return_if_fail(WF_IS_FLASH_JOB(self));
	g_return_if_fail(packet_size <= WF_DA_MAX_PACKET_SIZE);
	self->da_packet_size = packet_size;
}

/**
 * wf_flash_job_set_history:
 * @self: a #WfFlashJob
 * @history: (nullable): where runs are recorded; %NULL records nothing
 */
void
wf_flash_job_set_history(WfFlashJob *self, WfFlashHistory *history)
{
	g_return_if_fail(WF_IS_FLASH_JOB(self));
	g_set_object(&self->history, history);
}

void
wf_flash_job_set_reconnect_func(WfFlashJob *self,
				WfFlashJobReconnectFunc func,
				gpointer user_data,
				GDestroyNotify destroy)
{
	g_return_if_fail(WF_IS_FLASH_JOB(self));
	if (self->reconnect_destroy != NULL)
		self->reconnect_destroy(self->reconnect_data);
	self->reconnect_func = func;
	self->reconnect_data = user_data;
	self->reconnect_destroy = destroy;
}

/* ---- backups -----------------------------------------------------------------------------------
 */

/**
 * wf_flash_job_get_default_backups_folder:
 *
 * Returns: (transfer full): $XDG_DATA_HOME/wristflash/backups
 */
gchar *
wf_flash_job_get_default_backups_folder(void)
{
	return g_build_filename(g_get_user_data_dir(), "wristflash", "backups", NULL);
}

static gint
wf_flash_job_compare_backups(gconstpointer a, gconstpointer b)
{
	WfBackup *ba = *(WfBackup *const *)a;
	WfBackup *bb = *(WfBackup *const *)b;
	GDateTime *ta = wf_backup_get_created(ba);
	GDateTime *tb = wf_backup_get_created(bb);

	/* newest first; backups without a time last */
	if (ta == NULL || tb == NULL)
		return (ta == NULL) - (tb == NULL);
	return g_date_time_compare(tb, ta);
}

/**
 * wf_flash_job_find_backup:
 * @folder: (nullable): a folder of backup folders; %NULL = the default
 * @me_id: the watch's ME ID
 * @jedec_id: its flash's JEDEC id
 * @cancellable: (nullable): a #GCancellable
 * @error: (out): return location
 *
 * Finds the newest complete backup of this exact watch whose image still
 * has its recorded SHA-256.
 *
 * Returns: (transfer full): the backup, or %NULL with %WF_ERROR_NOT_FOUND
 */
WfBackup *
wf_flash_job_find_backup(const gchar *folder,
			 const gchar *me_id,
			 const gchar *jedec_id,
			 GCancellable *cancellable,
			 GError **error)
{
	g_autofree gchar *default_folder = NULL;
	g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_object_unref);
	g_autoptr(GDir) dir = NULL;
	const gchar *name;
	guint damaged = 0;

	g_return_val_if_fail(me_id != NULL, NULL);
	g_return_val_if_fail(jedec_id != NULL, NULL);
	if (folder == NULL)
		folder = default_folder = wf_flash_job_get_default_backups_folder();
	dir = g_dir_open(folder, 0, NULL);
	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path = g_build_filename(folder, name, NULL);
		g_autoptr(WfBackup) backup = NULL;

		if (g_str_has_suffix(name, WF_BACKUP_PARTIAL_SUFFIX) ||
		    !g_file_test(path, G_FILE_TEST_IS_DIR))
			continue;
		backup = wf_backup_load(path, NULL);
		if (backup == NULL)
			continue;
		if (!wf_flash_job_ids_equal(wf_backup_get_me_id(backup), me_id) ||
		    !wf_flash_job_ids_equal(wf_backup_get_jedec_id(backup), jedec_id))
			continue;
		g_ptr_array_add(found, g_steal_pointer(&backup));
	}
	g_ptr_array_sort(found, wf_flash_job_compare_backups);
	for (guint i = 0; i < found->len; i++) {
		WfBackup *backup = g_ptr_array_index(found, i);
		g_autoptr(GError) error_local = NULL;

		if (wf_backup_verify(backup, cancellable, &error_local))
			return g_object_ref(backup);
		if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		g_message("backup %s is skipped: %s",
			  wf_backup_get_dir(backup),
			  error_local->message);
		damaged++;
	}
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_NOT_FOUND,
		    "there is no verified backup of this watch (ME ID %s, flash %s) in %s%s",
		    me_id,
		    jedec_id,
		    folder,
		    damaged > 0 ? " (the ones there are damaged)" : "");
	return NULL;
}

/* loads a backup folder and checks its image against the recorded SHA-256 */
static WfBackup *
wf_flash_job_load_backup(const gchar *dir, GCancellable *cancellable, GError **error)
{
	g_autoptr(WfBackup) backup = wf_backup_load(dir, error);

	if (backup == NULL)
		return NULL;
	if (!wf_backup_verify(backup, cancellable, error)) {
		if (!g_error_matches(*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			g_prefix_error(error,
				       "the backup in %s cannot be used, nothing was written: ",
				       dir);
		return NULL;
	}
	return g_steal_pointer(&backup);
}

static GBytes *
wf_flash_job_map_image(WfBackup *backup, GError **error)
{
	g_autofree gchar *path = wf_backup_get_image_path(backup);
	g_autoptr(GMappedFile) mapped = NULL;
	g_autoptr(GError) error_local = NULL;

	mapped = g_mapped_file_new(path, FALSE, &error_local);
	if (mapped == NULL) {
		g_set_error(error, WF_ERROR, WF_ERROR_READ, "%s", error_local->message);
		return NULL;
	}
	return g_mapped_file_get_bytes(mapped);
}

static guint16
wf_flash_job_backup_hw_code(WfBackup *backup)
{
	JsonObject *record = wf_backup_get_record(backup);
	JsonObject *device = NULL;
	guint16 code = 0;

	if (json_object_has_member(record, "device"))
		device = json_object_get_object_member(record, "device");
	if (device != NULL)
		code = wf_flash_job_parse_chip(
			json_object_get_string_member_with_default(device, "hw_code", NULL));
	if (code == 0)
		code = wf_flash_job_parse_chip(wf_backup_get_chip(backup));
	return code;
}

/* ---- the watch's current contents ---------------------------------------------------------------
 */

static gboolean
wf_flash_job_prepare_watch(WfFlashJob *self, GCancellable *cancellable, GError **error)
{
	if (self->watch_ready)
		return TRUE;
	/* the watch resets itself (and the port vanishes) if these are left on;
	 * the remap makes the flash readable at 0 (protocol.md §3.9) */
	if (!wf_brom_disable_watchdog(self->brom, cancellable, error) ||
	    !wf_brom_extend_charger_wdt(self->brom, cancellable, error) ||
	    !wf_brom_remap_flash(self->brom, cancellable, error))
		return FALSE;
	self->watch_ready = TRUE;
	return TRUE;
}

typedef struct {
	WfProgress *progress;
	guint64 base;
	guint64 total;
} WfFlashJobReadProgress;

static void
wf_flash_job_read_progress_cb(gsize done, gsize total, gpointer user_data)
{
	WfFlashJobReadProgress *helper = user_data;
	if (helper->progress != NULL)
		wf_progress_set_bytes(helper->progress, helper->base + done, helper->total);
}

/* Reads [offset, offset+len) of the watch through the boot ROM window, only
 * the sectors not read yet. One pass: these bytes only decide what to write,
 * and every write is verified by reading it back. */
static gboolean
wf_flash_job_read_current(WfFlashJob *self,
			  guint32 offset,
			  guint32 len,
			  WfProgress *progress,
			  guint64 *progress_base,
			  guint64 progress_total,
			  GCancellable *cancellable,
			  GError **error)
{
	guint32 first = offset / WF_FLASH_JOB_SECTOR_SIZE;
	guint32 last = (guint32)(((guint64)offset + len + WF_FLASH_JOB_SECTOR_SIZE - 1) /
				 WF_FLASH_JOB_SECTOR_SIZE);

	if (!wf_flash_job_prepare_watch(self, cancellable, error))
		return FALSE;
	for (guint32 s = first; s < last;) {
		guint32 e = s;
		WfFlashJobReadProgress helper = {
			progress, progress_base ? *progress_base : 0, progress_total};

		if (self->current_known[s]) {
			s++;
			continue;
		}
		while (e < last && !self->current_known[e])
			e++;
		if (!wf_brom_read_memory(self->brom,
					 s * WF_FLASH_JOB_SECTOR_SIZE,
					 self->current + (gsize)s * WF_FLASH_JOB_SECTOR_SIZE,
					 (gsize)(e - s) * WF_FLASH_JOB_SECTOR_SIZE,
					 0,
					 0,
					 wf_flash_job_read_progress_cb,
					 &helper,
					 cancellable,
					 error)) {
			g_prefix_error(error,
				       "reading the watch's flash at 0x%08X: ",
				       s * WF_FLASH_JOB_SECTOR_SIZE);
			return FALSE;
		}
		memset(self->current_known + s, 1, e - s);
		if (progress_base != NULL)
			*progress_base += (guint64)(e - s) * WF_FLASH_JOB_SECTOR_SIZE;
		s = e;
	}
	return TRUE;
}

static guint64
wf_flash_job_unknown_bytes(WfFlashJob *self, guint32 offset, guint32 len)
{
	guint64 n = 0;
	for (guint32 s = offset / WF_FLASH_JOB_SECTOR_SIZE;
	     (guint64)s * WF_FLASH_JOB_SECTOR_SIZE < (guint64)offset + len;
	     s++) {
		if (!self->current_known[s])
			n += WF_FLASH_JOB_SECTOR_SIZE;
	}
	return n;
}

/* a progress step "compare" around one or more reads */
static gboolean
wf_flash_job_read_ranges(WfFlashJob *self,
			 const guint32 *ranges,
			 guint n_ranges,
			 WfProgress *progress,
			 GCancellable *cancellable,
			 GError **error)
{
	guint64 total = 0;
	guint64 base = 0;

	for (guint i = 0; i < n_ranges; i++)
		total += wf_flash_job_unknown_bytes(self, ranges[2 * i], ranges[2 * i + 1]);
	if (total == 0)
		return TRUE;
	if (progress != NULL) {
		wf_progress_add_step(progress, "compare", 1, "Reading what the watch holds");
		wf_progress_set_bytes(progress, 0, total);
	}
	for (guint i = 0; i < n_ranges; i++) {
		if (!wf_flash_job_read_current(self,
					       ranges[2 * i],
					       ranges[2 * i + 1],
					       progress,
					       &base,
					       total,
					       cancellable,
					       error))
			return FALSE;
	}
	if (progress != NULL)
		wf_progress_step_done(progress);
	return TRUE;
}

static gboolean
wf_flash_job_current_block0_valid(WfFlashJob *self, gboolean *known)
{
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(WfBootHeader) header = NULL;

	*known = FALSE;
	for (guint s = 0; s < WF_FLASH_JOB_BLOCK_SIZE / WF_FLASH_JOB_SECTOR_SIZE; s++) {
		if (!self->current_known[s])
			return FALSE;
	}
	*known = TRUE;
	blob = g_bytes_new_static(self->current, WF_FLASH_JOB_BLOCK_SIZE);
	header = wf_boot_header_new_from_bytes(blob, NULL);
	return header != NULL && wf_boot_header_get_state(header) == WF_BOOT_HEADER_STATE_VALID;
}

/* The first sectors hold the header block and the bootloaders; the Download
 * Agent writes only main-region files (§5.12), so writes below the main
 * region go through SFI. The main region starts where the header says. */
static guint32
wf_flash_job_boot_limit(const guint8 *image, gsize size)
{
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(WfBootHeader) header = NULL;
	guint32 main_start;

	if (image == NULL || size < WF_BOOT_HEADER_MIN_SIZE)
		return WF_FLASH_JOB_BLOCK_SIZE;
	blob = g_bytes_new_static(image, MIN(size, (gsize)WF_FLASH_JOB_BLOCK_SIZE));
	header = wf_boot_header_new_from_bytes(blob, NULL);
	if (header == NULL || wf_boot_header_get_state(header) != WF_BOOT_HEADER_STATE_VALID)
		return WF_FLASH_JOB_BLOCK_SIZE;
	main_start = wf_boot_header_get_main_region_addr(header) & WF_FLASH_PLAN_ADDR_MASK;
	if (main_start == 0 || main_start > WF_FLASH_JOB_BLOCK_SIZE)
		return WF_FLASH_JOB_BLOCK_SIZE;
	return main_start;
}

/* ---- the file-system tail -----------------------------------------------------------------------
 */

/* The ROM's FLASH_INFO record says where the file system (NVRAM, IMEI,
 * calibration, pairings) lives; the ROM is found through the header block. */
static gboolean
wf_flash_job_fs_from_image(const guint8 *image, gsize size, guint32 *offset, guint32 *length)
{
	g_autoptr(GBytes) blob = g_bytes_new_static(image, size);
	g_autoptr(WfRomIdentity) identity = wf_rom_identity_new_from_bytes(blob, NULL);
	WfGfh *gfh;
	guint32 base = 0;
	guint32 len = 0;

	if (identity == NULL)
		return FALSE;
	gfh = wf_rom_identity_get_rom_gfh(identity);
	if (gfh == NULL || !wf_gfh_get_fs_region(gfh, &base, &len))
		return FALSE;
	base &= WF_FLASH_PLAN_ADDR_MASK;
	if (len == 0 || (guint64)base + len > size)
		return FALSE;
	*offset = base;
	*length = len;
	return TRUE;
}

static void
wf_flash_job_set_fs(WfFlashJob *self, guint32 offset, guint32 length, const gchar *source)
{
	self->has_fs = TRUE;
	self->fs_offset = offset;
	self->fs_length = length;
	g_free(self->fs_source);
	self->fs_source = g_strdup(source);
}

static gboolean
wf_flash_job_all_known(WfFlashJob *self)
{
	for (guint32 s = 0; s < self->flash_size / WF_FLASH_JOB_SECTOR_SIZE; s++) {
		if (!self->current_known[s])
			return FALSE;
	}
	return TRUE;
}

/* the watch's own firmware first (it is what runs there), then the backup's */
static void
wf_flash_job_find_fs(WfFlashJob *self)
{
	guint32 offset = 0;
	guint32 length = 0;

	if (wf_flash_job_all_known(self) &&
	    wf_flash_job_fs_from_image(self->current, self->flash_size, &offset, &length)) {
		wf_flash_job_set_fs(self, offset, length, "FLASH_INFO of the watch's firmware");
		return;
	}
	if (self->backup_image != NULL &&
	    wf_flash_job_fs_from_image(g_bytes_get_data(self->backup_image, NULL),
				       g_bytes_get_size(self->backup_image),
				       &offset,
				       &length)) {
		wf_flash_job_set_fs(self, offset, length, "FLASH_INFO of the backup's firmware");
		return;
	}
}

/* ---- inputs
 * -------------------------------------------------------------------------------------- */

static gboolean
wf_flash_job_check_device(WfFlashJob *self, GError **error)
{
	if (self->brom == NULL || self->info == NULL) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_INTERNAL,
				    "the job has no watch: call wf_flash_job_set_device()");
		return FALSE;
	}
	self->flash_size = wf_device_info_get_flash_size(self->info);
	if (self->flash_size == 0 || self->flash_size % WF_FLASH_JOB_BLOCK_SIZE != 0) {
		g_set_error_literal(
			error,
			WF_ERROR,
			WF_ERROR_NOT_SUPPORTED,
			"the flash size of this watch is not known (or not whole 64 KiB "
			"blocks), so nothing can be written safely");
		return FALSE;
	}
	if (!wf_device_info_has_jedec_id(self->info)) {
		g_set_error_literal(
			error,
			WF_ERROR,
			WF_ERROR_NOT_SUPPORTED,
			"the flash chip's JEDEC id could not be read, so no backup can be "
			"matched to this watch");
		return FALSE;
	}
	self->current = g_malloc(self->flash_size);
	self->current_known = g_malloc0(self->flash_size / WF_FLASH_JOB_SECTOR_SIZE);
	self->target = g_malloc(self->flash_size);
	memset(self->target, 0xFF, self->flash_size);
	return TRUE;
}

static const gchar *
wf_flash_job_me_id(WfFlashJob *self)
{
	return wf_device_info_get_me_id_string(self->info);
}

static const gchar *
wf_flash_job_jedec(WfFlashJob *self)
{
	return wf_device_info_get_jedec_id_string(self->info);
}

static void
wf_flash_job_add_source(WfFlashJob *self, const gchar *path, const gchar *sha256, guint64 size)
{
	WfFlashHistorySource *source = g_new0(WfFlashHistorySource, 1);
	source->path = g_strdup(path);
	source->sha256 = g_strdup(sha256);
	source->size = size;
	g_ptr_array_add(self->sources, source);
}

/* flash and erase: the backup of THIS watch that makes the write undoable */
static gboolean
wf_flash_job_find_protecting_backup(WfFlashJob *self, GCancellable *cancellable, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	if (self->backup_dir != NULL) {
		self->backup = wf_flash_job_load_backup(self->backup_dir, cancellable, error);
		if (self->backup == NULL)
			return FALSE;
		if (!wf_flash_job_ids_equal(wf_backup_get_me_id(self->backup),
					    wf_flash_job_me_id(self)) ||
		    !wf_flash_job_ids_equal(wf_backup_get_jedec_id(self->backup),
					    wf_flash_job_jedec(self))) {
			g_set_error(
				error,
				WF_ERROR,
				WF_ERROR_REFUSED,
				"the backup in %s is of another watch (ME ID %s, flash %s; this "
				"watch: ME ID %s, flash %s): it cannot undo this write; make a "
				"backup of this watch first",
				self->backup_dir,
				wf_backup_get_me_id(self->backup),
				wf_backup_get_jedec_id(self->backup),
				wf_flash_job_me_id(self),
				wf_flash_job_jedec(self));
			return FALSE;
		}
	} else {
		self->backup = wf_flash_job_find_backup(self->backups_folder,
							wf_flash_job_me_id(self),
							wf_flash_job_jedec(self),
							cancellable,
							&error_local);
		if (self->backup == NULL) {
			if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
				g_propagate_error(error, g_steal_pointer(&error_local));
				return FALSE;
			}
			if ((self->flags & WF_FLASH_JOB_FLAG_NO_BACKUP) == 0) {
				g_set_error(
					error,
					WF_ERROR,
					WF_ERROR_REFUSED,
					"%s. Nothing is written to a watch without a verified "
					"backup of it: it is the only way back if the write goes "
					"wrong. Make one with “wristflash-cli backup -o "
					"~/.local/share/wristflash/backups/NAME”, or name one "
					"with --backup DIR",
					error_local->message);
				return FALSE;
			}
			wf_flash_job_note(self,
					  "no backup of this watch: writing without one, as asked "
					  "(--i-have-no-backup-and-accept-the-risk)");
			return TRUE;
		}
	}
	wf_flash_job_note(self, "backup of this watch: %s", wf_backup_get_dir(self->backup));
	self->backup_image = wf_flash_job_map_image(self->backup, error);
	return self->backup_image != NULL;
}

static gboolean
wf_flash_job_setup_plan(WfFlashJob *self)
{
	WfFlashPlanOverride overrides = WF_FLASH_PLAN_OVERRIDE_NONE;

	self->plan = wf_flash_plan_new();
	wf_flash_plan_set_watch(self->plan,
				wf_device_info_get_hw_code(self->info),
				wf_flash_job_me_id(self),
				wf_flash_job_jedec(self),
				self->flash_size);
	wf_flash_plan_set_target_chip(self->plan, self->target_hw_code);
	if (self->has_fs)
		wf_flash_plan_set_fs_region(
			self->plan, self->fs_offset, self->fs_length, self->fs_source);
	if (self->flags & WF_FLASH_JOB_FLAG_NO_BACKUP)
		overrides |= WF_FLASH_PLAN_OVERRIDE_NO_BACKUP;
	if (self->flags & WF_FLASH_JOB_FLAG_INCLUDE_FS)
		overrides |= WF_FLASH_PLAN_OVERRIDE_ERASE_FS;
	wf_flash_plan_set_overrides(self->plan, overrides);
	return TRUE;
}

/* ---- restore ------------------------------------------------------------------------------------
 */

static gboolean
wf_flash_job_restore_check_identity(WfFlashJob *self, gboolean *other_watch, GError **error)
{
	const gchar *me_id = wf_backup_get_me_id(self->backup);
	const gchar *jedec = wf_backup_get_jedec_id(self->backup);

	*other_watch = !wf_flash_job_ids_equal(me_id, wf_flash_job_me_id(self)) ||
		       !wf_flash_job_ids_equal(jedec, wf_flash_job_jedec(self));
	if (*other_watch && (self->flags & WF_FLASH_JOB_FLAG_OTHER_WATCH) == 0) {
		g_set_error(
			error,
			WF_ERROR,
			WF_ERROR_REFUSED,
			"this backup is of ANOTHER watch (ME ID %s, flash %s); this watch is ME "
			"ID %s, flash %s. Restoring it would replace this watch's firmware with "
			"that watch's. If that is really what you want, say so with "
			"--i-understand-this-is-another-watch (this watch's IMEI, calibration "
			"and pairings are kept)",
			me_id,
			jedec,
			wf_flash_job_me_id(self),
			wf_flash_job_jedec(self));
		return FALSE;
	}
	if (wf_backup_get_flash_size(self->backup) != self->flash_size) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_REFUSED,
			    "the backup holds %" G_GUINT64_FORMAT
			    " KiB but this watch's flash is %u "
			    "KiB: it was made from a different flash chip",
			    wf_backup_get_flash_size(self->backup) / 1024,
			    self->flash_size / 1024);
		return FALSE;
	}
	return TRUE;
}

/* another watch's image: this watch's file system stays, so the target
 * holds the watch's own bytes there; and THIS watch still needs a backup */
static gboolean
wf_flash_job_restore_other_watch(WfFlashJob *self,
				 WfProgress *progress,
				 GCancellable *cancellable,
				 GError **error)
{
	g_autoptr(GError) error_local = NULL;
	guint32 range[2];
	guint32 start, end;

	wf_flash_job_note(self,
			  "the backup is of ANOTHER watch (ME ID %s): this watch's file system "
			  "(IMEI, calibration, pairings) is kept",
			  wf_backup_get_me_id(self->backup));
	self->own_backup = wf_flash_job_find_backup(self->backups_folder,
						    wf_flash_job_me_id(self),
						    wf_flash_job_jedec(self),
						    cancellable,
						    &error_local);
	if (self->own_backup == NULL) {
		if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		if ((self->flags & WF_FLASH_JOB_FLAG_NO_BACKUP) == 0) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_REFUSED,
				    "%s: back this watch up first (it is the only way back to its "
				    "own firmware), or add --i-have-no-backup-and-accept-the-risk",
				    error_local->message);
			return FALSE;
		}
		wf_flash_job_note(self, "no backup of this watch: writing without one, as asked");
	} else {
		wf_flash_job_note(
			self, "backup of this watch: %s", wf_backup_get_dir(self->own_backup));
	}
	if (!self->has_fs) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_REFUSED,
				    "where this watch keeps its file system (IMEI, calibration, "
				    "pairings) is not known, so another watch's backup cannot be "
				    "restored without overwriting it");
		return FALSE;
	}
	/* whole blocks, so that the block comparison sees no difference there */
	start = self->fs_offset / WF_FLASH_JOB_BLOCK_SIZE * WF_FLASH_JOB_BLOCK_SIZE;
	end = (guint32)MIN(
		(guint64)self->flash_size,
		((guint64)self->fs_offset + self->fs_length + WF_FLASH_JOB_BLOCK_SIZE - 1) /
			WF_FLASH_JOB_BLOCK_SIZE * WF_FLASH_JOB_BLOCK_SIZE);
	range[0] = start;
	range[1] = end - start;
	if (!wf_flash_job_read_ranges(self, range, 1, progress, cancellable, error))
		return FALSE;
	memcpy(self->target + start, self->current + start, end - start);
	return TRUE;
}

static gboolean
wf_flash_job_prepare_restore(WfFlashJob *self,
			     WfProgress *progress,
			     GCancellable *cancellable,
			     GError **error)
{
	g_autoptr(GBytes) target = NULL;
	g_autoptr(GBytes) current = NULL;
	g_autofree gchar *image_path = NULL;
	g_autofree gchar *source = NULL;
	gboolean other_watch = FALSE;
	gboolean full = (self->flags & WF_FLASH_JOB_FLAG_FULL) != 0;

	if (self->backup_dir == NULL) {
		g_set_error_literal(
			error, WF_ERROR, WF_ERROR_INVALID_DATA, "say which backup to restore");
		return FALSE;
	}
	self->backup = wf_flash_job_load_backup(self->backup_dir, cancellable, error);
	if (self->backup == NULL)
		return FALSE;
	if (!wf_flash_job_restore_check_identity(self, &other_watch, error))
		return FALSE;
	self->backup_image = wf_flash_job_map_image(self->backup, error);
	if (self->backup_image == NULL)
		return FALSE;
	image_path = wf_backup_get_image_path(self->backup);
	wf_flash_job_add_source(self,
				image_path,
				wf_backup_get_sha256(self->backup),
				g_bytes_get_size(self->backup_image));
	self->target_hw_code = wf_flash_job_backup_hw_code(self->backup);
	memcpy(self->target, g_bytes_get_data(self->backup_image, NULL), self->flash_size);

	/* what the watch holds: all of it for a differential restore */
	if (!full) {
		guint32 range[2] = {0, self->flash_size};
		if (!wf_flash_job_read_ranges(self, range, 1, progress, cancellable, error))
			return FALSE;
	}
	wf_flash_job_find_fs(self);
	if (other_watch && !wf_flash_job_restore_other_watch(self, progress, cancellable, error))
		return FALSE;

	wf_flash_job_setup_plan(self);
	if (other_watch) {
		/* the identity rules were applied above (own backup or the explicit
		 * risk flag); the plan's rule would only see "another watch" */
		wf_flash_plan_set_backup(self->plan,
					 wf_backup_get_me_id(self->backup),
					 wf_backup_get_jedec_id(self->backup),
					 NULL,
					 TRUE);
		wf_flash_plan_set_overrides(self->plan, WF_FLASH_PLAN_OVERRIDE_NO_BACKUP);
	} else {
		wf_flash_plan_set_backup(self->plan,
					 wf_backup_get_me_id(self->backup),
					 wf_backup_get_jedec_id(self->backup),
					 wf_backup_get_sha256(self->backup),
					 TRUE);
	}
	target = g_bytes_new_static(self->target, self->flash_size);
	if (!full)
		current = g_bytes_new_static(self->current, self->flash_size);
	source = g_strdup_printf("%s", image_path);
	return wf_flash_plan_add_restore(self->plan, target, source, current, NULL, error);
}

/* ---- flash: the firmware files -----------------------------------------------------------------
 */

typedef struct {
	gchar *name;
	gchar *path;
	GBytes *data;
	guint16 file_type;
	guint32 load_addr;
	guint32 file_len;
} WfFlashJobFile;

static void
wf_flash_job_file_free(WfFlashJobFile *file)
{
	g_free(file->name);
	g_free(file->path);
	if (file->data != NULL)
		g_bytes_unref(file->data);
	g_free(file);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(WfFlashJobFile, wf_flash_job_file_free)

static WfFlashJobFile *
wf_flash_job_file_load(const gchar *path, GError **error)
{
	g_autoptr(WfFlashJobFile) file = g_new0(WfFlashJobFile, 1);
	g_autoptr(GMappedFile) mapped = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(WfGfh) gfh = NULL;
	const WfGfhFileInfo *info;

	mapped = g_mapped_file_new(path, FALSE, &error_local);
	if (mapped == NULL) {
		g_set_error(error, WF_ERROR, WF_ERROR_READ, "%s", error_local->message);
		return NULL;
	}
	file->path = g_strdup(path);
	file->name = g_path_get_basename(path);
	file->data = g_mapped_file_get_bytes(mapped);
	gfh = wf_gfh_new_from_bytes(file->data, 0, &error_local);
	info = gfh != NULL ? wf_gfh_get_file_info(gfh) : NULL;
	if (info == NULL) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s has no GFH FILE_INFO header, so where it goes in the flash is not "
			    "known%s%s",
			    file->name,
			    error_local != NULL ? ": " : "",
			    error_local != NULL ? error_local->message : "");
		return NULL;
	}
	file->file_type = info->file_type;
	file->load_addr = info->load_addr;
	file->file_len = info->file_len;
	return g_steal_pointer(&file);
}

static gint
wf_flash_job_compare_names(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

/* a name from the .cfg, found in the folder without regard to case (the
 * .cfg comes from Windows) */
static gchar *
wf_flash_job_find_in_folder(const gchar *folder, const gchar *cfg_name)
{
	g_autofree gchar *unix_name = wf_cfg_file_to_unix_path(cfg_name);
	g_autofree gchar *base = g_path_get_basename(unix_name);
	g_autoptr(GDir) dir = g_dir_open(folder, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		if (g_ascii_strcasecmp(name, base) == 0)
			return g_build_filename(folder, name, NULL);
	}
	return NULL;
}

static gboolean
wf_flash_job_list_cfg(WfFlashJob *self,
		      const gchar *folder,
		      const gchar *cfg_path,
		      GPtrArray *paths,
		      gchar **platform,
		      GError **error)
{
	g_autoptr(WfCfg) cfg = wf_cfg_new_from_file(cfg_path, error);
	const WfCfgRegion regions[] = {
		WF_CFG_REGION_BOOT, WF_CFG_REGION_CONTROL_BLOCK, WF_CFG_REGION_MAIN};
	GPtrArray *fs_files;

	if (cfg == NULL)
		return FALSE;
	*platform = g_strdup(wf_cfg_get_platform(cfg));
	for (guint r = 0; r < G_N_ELEMENTS(regions); r++) {
		GPtrArray *files = wf_cfg_get_files(cfg, regions[r]);
		for (guint i = 0; files != NULL && i < files->len; i++) {
			const gchar *name = g_ptr_array_index(files, i);
			gchar *path = wf_flash_job_find_in_folder(folder, name);
			if (path == NULL) {
				g_set_error(error,
					    WF_ERROR,
					    WF_ERROR_NOT_FOUND,
					    "%s lists %s, which is not in %s",
					    cfg_path,
					    name,
					    folder);
				return FALSE;
			}
			g_ptr_array_add(paths, path);
		}
	}
	/* factory file-system images would replace the watch's NVRAM */
	fs_files = wf_cfg_get_files(cfg, WF_CFG_REGION_FILE_SYSTEM);
	if (fs_files != NULL && fs_files->len > 0)
		wf_flash_job_note(self,
				  "%u file-system image(s) in the .cfg are not written: the watch "
				  "keeps its own file system",
				  fs_files->len);
	g_set_object(&self->cfg, cfg);
	return TRUE;
}

static gboolean
wf_flash_job_list_package(WfFlashJob *self, GPtrArray *paths, gchar **platform, GError **error)
{
	g_autoptr(GDir) dir = NULL;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) cfgs = g_ptr_array_new_with_free_func(g_free);
	const gchar *name;

	if (g_file_test(self->package, G_FILE_TEST_IS_REGULAR)) {
		g_ptr_array_add(paths, g_strdup(self->package));
		return TRUE;
	}
	dir = g_dir_open(self->package, 0, NULL);
	if (dir == NULL) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_NOT_FOUND,
			    "%s is neither a firmware folder nor a file",
			    self->package);
		return FALSE;
	}
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *lower = g_ascii_strdown(name, -1);
		/* SP Flash Tool packages name files ROM, VIVA, EXT_BOOTLOADER…: the
		 * GFH header, not the name, says what a file is */
		if (g_str_has_suffix(lower, ".cfg"))
			g_ptr_array_add(cfgs, g_build_filename(self->package, name, NULL));
		else if (name[0] != '.' && g_ascii_strcasecmp(name, WF_DA_FILE_NAME) != 0)
			g_ptr_array_add(names, g_strdup(name));
	}
	if (cfgs->len > 1) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s holds %u .cfg files: keep only the one of this firmware",
			    self->package,
			    cfgs->len);
		return FALSE;
	}
	if (cfgs->len == 1) {
		wf_flash_job_note(self, "files as listed in %s", (gchar *)cfgs->pdata[0]);
		return wf_flash_job_list_cfg(
			self, self->package, g_ptr_array_index(cfgs, 0), paths, platform, error);
	}
	/* no .cfg: every file that carries a GFH header */
	g_ptr_array_sort(names, wf_flash_job_compare_names);
	for (guint i = 0; i < names->len; i++) {
		g_autofree gchar *path =
			g_build_filename(self->package, (gchar *)names->pdata[i], NULL);
		g_autoptr(GBytes) head = NULL;
		g_autoptr(GMappedFile) mapped = NULL;
		if (!g_file_test(path, G_FILE_TEST_IS_REGULAR))
			continue;
		mapped = g_mapped_file_new(path, FALSE, NULL);
		if (mapped == NULL)
			continue;
		head = g_mapped_file_get_bytes(mapped);
		if (!wf_gfh_is_file_info(g_bytes_get_data(head, NULL), g_bytes_get_size(head), 0)) {
			wf_flash_job_note(self,
					  "%s is skipped: it has no GFH header",
					  (gchar *)names->pdata[i]);
			continue;
		}
		g_ptr_array_add(paths, g_steal_pointer(&path));
	}
	if (paths->len == 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_NOT_FOUND,
			    "%s holds no firmware files (files with a GFH header, or a .cfg)",
			    self->package);
		return FALSE;
	}
	return TRUE;
}

/* the firmware's chip: the .cfg's platform, else the ROM's own identity */
static guint16
wf_flash_job_files_chip(GPtrArray *files, const gchar *platform)
{
	guint16 code = wf_flash_job_parse_chip(platform);

	for (guint i = 0; code == 0 && i < files->len; i++) {
		WfFlashJobFile *file = g_ptr_array_index(files, i);
		g_autoptr(WfRomIdentity) identity = NULL;

		if (file->file_type != WF_GFH_FILE_PRIMARY_MAUI)
			continue;
		identity = wf_rom_identity_new_from_bytes(file->data, NULL);
		if (identity != NULL)
			code = wf_flash_job_parse_chip(wf_rom_identity_get_platform(identity));
	}
	return code;
}

/* the compatibility reasons at @level as one line */
static gchar *
wf_flash_job_compat_lines(WfCompat *compat, WfCompatLevel level)
{
	GPtrArray *reasons = wf_compat_get_reasons(compat);
	g_autoptr(GString) str = g_string_new(NULL);

	for (guint i = 0; i < reasons->len; i++) {
		const WfCompatReason *reason = g_ptr_array_index(reasons, i);
		if (reason->level != level)
			continue;
		if (str->len > 0)
			g_string_append(str, "; ");
		g_string_append(str, reason->message);
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

/*
 * "Will this firmware work on this watch?" (docs/profiles.md): the ROM's
 * identity and the .cfg against the watch's backup. Incompatible is refused
 * here; risky needs WF_FLASH_JOB_FLAG_ACCEPT_RISKY before run() writes.
 */
static gboolean
wf_flash_job_check_compat(WfFlashJob *self, GPtrArray *files, GError **error)
{
	g_autoptr(WfProfileDb) db = wf_profile_db_new();
	g_autoptr(WfFirmwareFacts) fw = NULL;
	g_autoptr(WfWatchFacts) watch = NULL;
	g_autoptr(GError) error_local = NULL;
	WfKnowledgeTable *components;

	if (!wf_profile_db_load_default(db, &error_local)) {
		wf_flash_job_note(
			self,
			"compatibility not checked, the profile database did not load: %s",
			error_local->message);
		return TRUE;
	}
	components = wf_profile_db_get_components(db);
	if (self->fw_package != NULL)
		fw = wf_firmware_facts_new_from_package(
			self->fw_package, self->package, components, NULL);
	for (guint i = 0; fw == NULL && i < files->len; i++) {
		WfFlashJobFile *file = g_ptr_array_index(files, i);
		if (file->file_type == WF_GFH_FILE_PRIMARY_MAUI)
			fw = wf_firmware_facts_new_from_bytes(
				file->data, file->path, components, NULL);
	}
	if (fw == NULL)
		fw = wf_firmware_facts_new(self->package, WF_FIRMWARE_KIND_PACKAGE);
	if (self->cfg != NULL && self->fw_package == NULL)
		wf_firmware_facts_add_cfg(fw, self->cfg);
	if (self->backup != NULL)
		watch = wf_watch_facts_new_from_backup(
			wf_backup_get_dir(self->backup), components, &error_local);
	if (watch == NULL) {
		g_clear_error(&error_local);
		watch = wf_watch_facts_new("the watch");
	}
	wf_watch_facts_set_device_info(watch, self->info);
	self->compat = wf_compat_check(db, fw, watch);
	if (wf_compat_get_verdict(self->compat) == WF_COMPAT_VERDICT_INCOMPATIBLE) {
		g_autofree gchar *why =
			wf_flash_job_compat_lines(self->compat, WF_COMPAT_LEVEL_INCOMPATIBLE);
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_REFUSED,
			    "this firmware will not work on this watch: %s",
			    why);
		return FALSE;
	}
	if (wf_compat_get_verdict(self->compat) == WF_COMPAT_VERDICT_RISKY) {
		g_autofree gchar *why =
			wf_flash_job_compat_lines(self->compat, WF_COMPAT_LEVEL_RISKY);
		wf_flash_job_note(self, "RISKY firmware: %s", why);
	}
	return TRUE;
}

/* a .cfg package (folder with a .cfg, a .cfg, an archive) is read by
 * WfFirmwarePackage; a folder of GFH files or one GFH file by this job */
static gboolean
wf_flash_job_is_cfg_package(const gchar *path)
{
	g_autoptr(GDir) dir = NULL;
	const gchar *name;
	guint8 head[512];
	gsize n = 0;
	FILE *f;

	if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
		dir = g_dir_open(path, 0, NULL);
		while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
			g_autofree gchar *lower = g_ascii_strdown(name, -1);
			if (g_str_has_suffix(lower, ".cfg"))
				return TRUE;
		}
		return FALSE;
	}
	if (g_str_has_suffix(path, ".cfg") || g_str_has_suffix(path, ".CFG"))
		return TRUE;
	f = fopen(path, "rb");
	if (f == NULL)
		return FALSE;
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	return wf_firmware_package_is_archive(head, n);
}

static gboolean
wf_flash_job_load_cfg_package(WfFlashJob *self, GPtrArray *files, gchar **platform, GError **error)
{
	g_autoptr(GArray) plan_files = NULL;
	GPtrArray *skipped;
	GPtrArray *warnings;
	WfCfg *cfg;

	self->fw_package = wf_firmware_package_new_from_path(self->package, error);
	if (self->fw_package == NULL)
		return FALSE;
	cfg = wf_firmware_package_get_cfg(self->fw_package);
	if (cfg != NULL) {
		g_set_object(&self->cfg, cfg);
		*platform = g_strdup(wf_cfg_get_platform(cfg));
	}
	wf_flash_job_note(self,
			  "firmware package (%s): %s",
			  wf_firmware_package_get_container(self->fw_package),
			  wf_firmware_package_get_cfg_path(self->fw_package) != NULL
				  ? wf_firmware_package_get_cfg_path(self->fw_package)
				  : self->package);
	skipped = wf_firmware_package_get_skipped(self->fw_package);
	for (guint i = 0; skipped != NULL && i < skipped->len; i++)
		wf_flash_job_note(self, "not written: %s", (const gchar *)skipped->pdata[i]);
	warnings = wf_firmware_package_get_warnings(self->fw_package);
	for (guint i = 0; warnings != NULL && i < warnings->len; i++)
		wf_flash_job_note(self, "package: %s", (const gchar *)warnings->pdata[i]);
	/* the boot and main region files; never a file-system image */
	plan_files = wf_firmware_package_get_plan_files(self->fw_package,
							WF_FIRMWARE_PACKAGE_PLAN_DEFAULT);
	for (guint i = 0; i < plan_files->len; i++) {
		const WfFlashPlanFile *pf = &g_array_index(plan_files, WfFlashPlanFile, i);
		WfFlashJobFile *file = g_new0(WfFlashJobFile, 1);
		g_autofree gchar *sha256 = NULL;

		file->name = g_strdup(pf->name);
		file->path = g_strdup_printf("%s:%s", self->package, pf->name);
		file->data = g_bytes_ref(pf->data);
		file->file_type = pf->file_type;
		file->load_addr = pf->load_addr;
		file->file_len = pf->file_len;
		sha256 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, file->data);
		wf_flash_job_add_source(self, file->path, sha256, g_bytes_get_size(file->data));
		g_ptr_array_add(files, file);
	}
	return TRUE;
}

static gboolean
wf_flash_job_prepare_flash(WfFlashJob *self,
			   WfProgress *progress,
			   GCancellable *cancellable,
			   GError **error)
{
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) files =
		g_ptr_array_new_with_free_func((GDestroyNotify)wf_flash_job_file_free);
	g_autofree gchar *platform = NULL;
	g_autofree guint32 *ranges = NULL;
	guint n_ranges = 0;
	GPtrArray *regions;

	if (self->package == NULL) {
		g_set_error_literal(
			error, WF_ERROR, WF_ERROR_INVALID_DATA, "say which firmware to flash");
		return FALSE;
	}
	if (wf_flash_job_is_cfg_package(self->package)) {
		if (!wf_flash_job_load_cfg_package(self, files, &platform, error))
			return FALSE;
	} else if (!wf_flash_job_list_package(self, paths, &platform, error)) {
		return FALSE;
	}
	for (guint i = 0; i < paths->len; i++) {
		WfFlashJobFile *file = wf_flash_job_file_load(g_ptr_array_index(paths, i), error);
		g_autofree gchar *sha256 = NULL;
		if (file == NULL)
			return FALSE;
		sha256 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, file->data);
		wf_flash_job_add_source(self, file->path, sha256, g_bytes_get_size(file->data));
		g_ptr_array_add(files, file);
	}
	self->target_hw_code = wf_flash_job_files_chip(files, platform);
	if (!wf_flash_job_find_protecting_backup(self, cancellable, error))
		return FALSE;
	wf_flash_job_find_fs(self);
	if (!self->has_fs) {
		/* no backup to learn it from: the watch's own firmware says */
		guint32 all[2] = {0, self->flash_size};
		if (!wf_flash_job_read_ranges(self, all, 1, progress, cancellable, error))
			return FALSE;
		wf_flash_job_find_fs(self);
	}
	wf_flash_job_setup_plan(self);
	if (self->backup != NULL)
		wf_flash_plan_set_backup(self->plan,
					 wf_backup_get_me_id(self->backup),
					 wf_backup_get_jedec_id(self->backup),
					 wf_backup_get_sha256(self->backup),
					 TRUE);
	for (guint i = 0; i < files->len; i++) {
		WfFlashJobFile *file = g_ptr_array_index(files, i);
		WfFlashPlanFile plan_file = {.name = file->name,
					     .path = file->path,
					     .data = file->data,
					     .file_type = file->file_type,
					     .load_addr = file->load_addr,
					     .file_len = file->file_len};
		if (!wf_flash_plan_add_file(self->plan, &plan_file, error))
			return FALSE;
	}
	/* before reading anything for it, the plan must be acceptable */
	if (!wf_flash_plan_check(self->plan, error))
		return FALSE;
	if (!wf_flash_job_check_compat(self, files, error))
		return FALSE;

	/* the whole blocks the files touch, and block 0 (is the header valid?) */
	regions = wf_flash_plan_get_regions(self->plan);
	ranges = g_new0(guint32, 2 * (regions->len + 1));
	ranges[n_ranges * 2] = 0;
	ranges[n_ranges * 2 + 1] = WF_FLASH_JOB_BLOCK_SIZE;
	n_ranges++;
	for (guint i = 0; i < regions->len; i++) {
		const WfFlashRegion *region = g_ptr_array_index(regions, i);
		guint64 start = region->offset / WF_FLASH_JOB_BLOCK_SIZE * WF_FLASH_JOB_BLOCK_SIZE;
		guint64 end =
			((guint64)region->offset + region->length + WF_FLASH_JOB_BLOCK_SIZE - 1) /
			WF_FLASH_JOB_BLOCK_SIZE * WF_FLASH_JOB_BLOCK_SIZE;
		ranges[n_ranges * 2] = (guint32)start;
		ranges[n_ranges * 2 + 1] = (guint32)(end - start);
		n_ranges++;
	}
	if (!wf_flash_job_read_ranges(self, ranges, n_ranges, progress, cancellable, error))
		return FALSE;
	/* target = the watch's bytes with the files laid over them */
	memcpy(self->target, self->current, self->flash_size);
	for (guint i = 0; i < regions->len; i++) {
		const WfFlashRegion *region = g_ptr_array_index(regions, i);
		memcpy(self->target + region->offset,
		       g_bytes_get_data(region->data, NULL),
		       region->length);
	}
	return TRUE;
}

/* ---- erase -------------------------------------------------------------------------------------
 */

static gboolean
wf_flash_job_prepare_erase(WfFlashJob *self,
			   WfProgress *progress,
			   GCancellable *cancellable,
			   GError **error)
{
	g_autoptr(GBytes) blank = NULL;
	g_autofree guint8 *ff = NULL;
	g_autofree gchar *name = NULL;
	guint32 ranges[4];
	WfFlashRegionKind kind = WF_FLASH_REGION_KIND_MAIN;

	if (self->erase_length == 0 || self->erase_offset % WF_FLASH_JOB_SECTOR_SIZE != 0 ||
	    self->erase_length % WF_FLASH_JOB_SECTOR_SIZE != 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "a serial flash erases whole 4 KiB sectors: offset 0x%X and length "
			    "0x%X must both be multiples of 0x1000 (and the length not 0)",
			    self->erase_offset,
			    self->erase_length);
		return FALSE;
	}
	if (!wf_flash_job_find_protecting_backup(self, cancellable, error))
		return FALSE;
	wf_flash_job_find_fs(self);
	if (!self->has_fs) {
		guint32 all[2] = {0, self->flash_size};
		if (!wf_flash_job_read_ranges(self, all, 1, progress, cancellable, error))
			return FALSE;
		wf_flash_job_find_fs(self);
	}
	wf_flash_job_setup_plan(self);
	/* an erase puts nothing foreign on the watch */
	self->target_hw_code = wf_device_info_get_hw_code(self->info);
	wf_flash_plan_set_target_chip(self->plan, self->target_hw_code);
	if (self->backup != NULL)
		wf_flash_plan_set_backup(self->plan,
					 wf_backup_get_me_id(self->backup),
					 wf_backup_get_jedec_id(self->backup),
					 wf_backup_get_sha256(self->backup),
					 TRUE);
	if (self->erase_offset < WF_FLASH_JOB_BLOCK_SIZE)
		kind = WF_FLASH_REGION_KIND_BOOT_HEADER;
	else if (self->has_fs &&
		 (guint64)self->erase_offset < (guint64)self->fs_offset + self->fs_length &&
		 self->fs_offset < (guint64)self->erase_offset + self->erase_length)
		kind = WF_FLASH_REGION_KIND_FS_TAIL;
	if (kind == WF_FLASH_REGION_KIND_FS_TAIL &&
	    (self->flags & WF_FLASH_JOB_FLAG_INCLUDE_FS) == 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_REFUSED,
			    "0x%08X–0x%08X overlaps the file system at 0x%08X–0x%08X, where this "
			    "watch keeps its IMEI, calibration and pairings: erasing it LOSES them "
			    "(only a restore of this watch's backup brings them back); say "
			    "--include-nvram-tail if that is what you want",
			    self->erase_offset,
			    self->erase_offset + self->erase_length - 1,
			    self->fs_offset,
			    self->fs_offset + self->fs_length - 1);
		return FALSE;
	}
	ff = g_malloc(self->erase_length);
	memset(ff, 0xFF, self->erase_length);
	blank = g_bytes_new_take(g_steal_pointer(&ff), self->erase_length);
	name = g_strdup_printf("erase %u KiB", self->erase_length / 1024);
	if (!wf_flash_plan_add_region(
		    self->plan, name, self->erase_offset, blank, kind, "erase", error))
		return FALSE;
	if (!wf_flash_plan_check(self->plan, error))
		return FALSE;
	ranges[0] = 0;
	ranges[1] = WF_FLASH_JOB_BLOCK_SIZE;
	ranges[2] = self->erase_offset;
	ranges[3] = self->erase_length;
	if (!wf_flash_job_read_ranges(self, ranges, 2, progress, cancellable, error))
		return FALSE;
	memcpy(self->target, self->current, self->flash_size);
	memset(self->target + self->erase_offset, 0xFF, self->erase_length);
	return TRUE;
}

/* ---- the writes -------------------------------------------------------------------------------
 */

static void
wf_flash_job_add_write(WfFlashJob *self, guint32 offset, guint32 length)
{
	WfFlashWrite *write;

	/* extend the previous write when it ends here, in the same block */
	if (self->writes->len > 0) {
		WfFlashWrite *prev = g_ptr_array_index(self->writes, self->writes->len - 1);
		if (prev->offset + prev->length == offset &&
		    prev->offset / WF_FLASH_JOB_BLOCK_SIZE == offset / WF_FLASH_JOB_BLOCK_SIZE) {
			prev->length += length;
			return;
		}
	}
	write = g_new0(WfFlashWrite, 1);
	write->offset = offset;
	write->length = length;
	g_ptr_array_add(self->writes, write);
}

/* the sectors of the plan's regions whose target differs from what the
 * watch holds (all of them where that is not known) */
static void
wf_flash_job_build_writes(WfFlashJob *self)
{
	GPtrArray *regions = wf_flash_plan_get_regions(self->plan);
	guint n_sectors = self->flash_size / WF_FLASH_JOB_SECTOR_SIZE;
	g_autofree guint8 *wanted = g_malloc0(n_sectors);

	for (guint i = 0; i < regions->len; i++) {
		const WfFlashRegion *region = g_ptr_array_index(regions, i);
		guint64 end = MIN((guint64)region->offset + region->length, self->flash_size);
		for (guint64 s = region->offset / WF_FLASH_JOB_SECTOR_SIZE;
		     s * WF_FLASH_JOB_SECTOR_SIZE < end;
		     s++)
			wanted[s] = TRUE;
	}
	for (guint s = 0; s < n_sectors; s++) {
		gsize off = (gsize)s * WF_FLASH_JOB_SECTOR_SIZE;
		if (!wanted[s])
			continue;
		if (self->current_known[s] &&
		    memcmp(self->current + off, self->target + off, WF_FLASH_JOB_SECTOR_SIZE) == 0)
			continue;
		wf_flash_job_add_write(self, (guint32)off, WF_FLASH_JOB_SECTOR_SIZE);
	}
	for (guint i = 0; i < self->writes->len; i++) {
		WfFlashWrite *write = g_ptr_array_index(self->writes, i);
		write->data = g_bytes_new(self->target + write->offset, write->length);
		write->sha256 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, write->data);
	}
}

guint64
wf_flash_job_get_write_size(WfFlashJob *self)
{
	guint64 total = 0;

	g_return_val_if_fail(WF_IS_FLASH_JOB(self), 0);
	for (guint i = 0; i < self->writes->len; i++)
		total += ((WfFlashWrite *)g_ptr_array_index(self->writes, i))->length;
	return total;
}

/* ---- choosing the method ----------------------------------------------------------------------
 */

static gboolean
wf_flash_job_load_da(WfFlashJob *self, gchar **why_not, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *found = NULL;
	const gchar *path = self->da_path;

	if (path == NULL) {
		const gchar *near = self->package != NULL      ? self->package
				    : self->backup_dir != NULL ? self->backup_dir
							       : NULL;
		found = wf_da_file_find(near, &error_local);
		if (found == NULL) {
			*why_not = g_strdup(error_local->message);
			return TRUE;
		}
		path = found;
	}
	self->da_file =
		wf_da_file_new_from_path(path, self->has_da_flat ? &self->da_flat : NULL, error);
	if (self->da_file == NULL) {
		g_prefix_error(error, "the Download Agent %s cannot be used: ", path);
		return FALSE;
	}
	self->da_entry = wf_da_file_select(self->da_file,
					   wf_device_info_get_hw_code(self->info),
					   wf_device_info_get_hw_subcode(self->info),
					   wf_device_info_get_hw_version(self->info),
					   wf_device_info_get_sw_version(self->info),
					   &error_local);
	if (self->da_entry == NULL) {
		*why_not = g_strdup_printf("%s: %s", path, error_local->message);
		g_clear_object(&self->da_file);
		return TRUE;
	}
	wf_flash_job_note(self, "Download Agent: %s", path);
	return TRUE;
}

static void
wf_flash_job_set_method_reason(WfFlashJob *self, WfFlashMethod method, const gchar *format, ...)
	G_GNUC_PRINTF(3, 4);

static void
wf_flash_job_set_method_reason(WfFlashJob *self, WfFlashMethod method, const gchar *format, ...)
{
	va_list args;

	self->method = method;
	g_free(self->method_reason);
	va_start(args, format);
	self->method_reason = g_strdup_vprintf(format, args);
	va_end(args);
	g_debug("method %s: %s", wf_flash_method_to_string(method), self->method_reason);
}

/*
 * SFI (boot-ROM register access, §3.11) works on any watch; the Download
 * Agent (§5.7) is faster and checksums every packet but needs MediaTek's
 * file, an intact header block, and writes only main-region files.
 */
static gboolean
wf_flash_job_choose_method(WfFlashJob *self, GError **error)
{
	g_autofree gchar *no_da = NULL;
	guint32 boot_limit = wf_flash_job_boot_limit(self->target, self->flash_size);
	gboolean touches_boot = FALSE;
	gboolean header_known = FALSE;
	gboolean header_valid;
	const gchar *boot_why = "the plan rewrites the first sectors (header block, "
				"bootloaders), which the Download Agent cannot write";
	const gchar *header_why = "the watch's header block is damaged or erased: the "
				  "Download Agent would report S_DA_BLANK_FLASH and refuse to "
				  "write (S_DA_HEADER_BLOCK_NOT_EXIST)";

	for (guint i = 0; i < self->writes->len; i++) {
		const WfFlashWrite *write = g_ptr_array_index(self->writes, i);
		if (write->offset < boot_limit)
			touches_boot = TRUE;
	}
	header_valid = wf_flash_job_current_block0_valid(self, &header_known);

	if (self->method_requested == WF_FLASH_METHOD_SFI) {
		wf_flash_job_set_method_reason(
			self, WF_FLASH_METHOD_SFI, "asked for (--method sfi)");
		return TRUE;
	}
	if (self->method_requested == WF_FLASH_METHOD_DA) {
		if (touches_boot) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_NOT_SUPPORTED,
				    "--method da: %s; use --method sfi or auto",
				    boot_why);
			return FALSE;
		}
		if (header_known && !header_valid) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_NOT_SUPPORTED,
				    "--method da: %s; use --method sfi or auto",
				    header_why);
			return FALSE;
		}
		if (!wf_flash_job_load_da(self, &no_da, error))
			return FALSE;
		if (self->da_file == NULL) {
			g_set_error(error, WF_ERROR, WF_ERROR_NOT_FOUND, "--method da: %s", no_da);
			return FALSE;
		}
		wf_flash_job_set_method_reason(self, WF_FLASH_METHOD_DA, "asked for (--method da)");
		return TRUE;
	}
	if (self->kind == WF_FLASH_JOB_KIND_RESTORE && (self->flags & WF_FLASH_JOB_FLAG_FULL)) {
		wf_flash_job_set_method_reason(self,
					       WF_FLASH_METHOD_SFI,
					       "a raw full-image restore rewrites every block, "
					       "the header block included");
		return TRUE;
	}
	if (touches_boot) {
		wf_flash_job_set_method_reason(self, WF_FLASH_METHOD_SFI, "%s", boot_why);
		return TRUE;
	}
	if (!header_known || !header_valid) {
		wf_flash_job_set_method_reason(self, WF_FLASH_METHOD_SFI, "%s", header_why);
		return TRUE;
	}
	if (!wf_flash_job_load_da(self, &no_da, error))
		return FALSE;
	if (self->da_file == NULL) {
		wf_flash_job_set_method_reason(
			self, WF_FLASH_METHOD_SFI, "no usable Download Agent: %s", no_da);
		return TRUE;
	}
	wf_flash_job_set_method_reason(self,
				       WF_FLASH_METHOD_DA,
				       "the header block is intact and the plan writes only the "
				       "main region: the Download Agent is faster and checksums "
				       "every packet");
	return TRUE;
}

/* ---- prepare ----------------------------------------------------------------------------------
 */

/**
 * wf_flash_job_prepare:
 * @self: a #WfFlashJob
 * @progress: (nullable): gets a "compare" step while the watch is read
 * @cancellable: (nullable): a #GCancellable
 * @error: (out): return location
 *
 * Checks the inputs, reads what is needed from the watch, builds and checks
 * the plan and chooses the method. Writes nothing. When it returns %TRUE,
 * wf_flash_job_get_plan() is what wf_flash_job_run() will do (unless
 * wf_flash_job_is_up_to_date(): then there is nothing to write).
 */
gboolean
wf_flash_job_prepare(WfFlashJob *self,
		     WfProgress *progress,
		     GCancellable *cancellable,
		     GError **error)
{
	gboolean ok = FALSE;

	g_return_val_if_fail(WF_IS_FLASH_JOB(self), FALSE);
	g_return_val_if_fail(progress == NULL || WF_IS_PROGRESS(progress), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (self->prepared) {
		g_set_error_literal(
			error, WF_ERROR, WF_ERROR_INTERNAL, "the job was already prepared");
		return FALSE;
	}
	if (!wf_flash_job_check_device(self, error))
		return FALSE;
	switch (self->kind) {
	case WF_FLASH_JOB_KIND_RESTORE:
		ok = wf_flash_job_prepare_restore(self, progress, cancellable, error);
		break;
	case WF_FLASH_JOB_KIND_FLASH:
		ok = wf_flash_job_prepare_flash(self, progress, cancellable, error);
		break;
	case WF_FLASH_JOB_KIND_ERASE:
		ok = wf_flash_job_prepare_erase(self, progress, cancellable, error);
		break;
	default:
		g_assert_not_reached();
	}
	if (!ok)
		return FALSE;
	if (self->has_fs)
		wf_flash_job_note(
			self,
			"file system (IMEI, calibration, pairings) at 0x%08X–0x%08X, from "
			"%s",
			self->fs_offset,
			self->fs_offset + self->fs_length - 1,
			self->fs_source);
	if (wf_flash_plan_get_regions(self->plan)->len == 0) {
		/* nothing differs: the plan's own check would call this an error */
		self->up_to_date = TRUE;
		self->prepared = TRUE;
		wf_flash_job_set_method_reason(self,
					       self->method_requested == WF_FLASH_METHOD_DA
						       ? WF_FLASH_METHOD_DA
						       : WF_FLASH_METHOD_SFI,
					       "nothing to write");
		return TRUE;
	}
	if (!wf_flash_plan_check(self->plan, error))
		return FALSE;
	wf_flash_job_build_writes(self);
	self->up_to_date = self->writes->len == 0;
	if (!wf_flash_job_choose_method(self, error))
		return FALSE;
	self->prepared = TRUE;
	return TRUE;
}

/* ---- run: the SFI path ------------------------------------------------------------------------
 */

/*
 * One piece through WfSfiWriter, which erases and programs only what
 * differs from what the watch holds (we pass what we read, so it does not
 * read again) and reads it back through the boot-ROM window before it
 * returns. A piece whose read-back differs comes back as an error.
 */
static gboolean
wf_flash_job_sfi_write(WfFlashJob *self, WfFlashWrite *write, GError **error)
{
	g_autoptr(WfSfiWriter) writer = wf_sfi_writer_new(self->brom, self->flash_size);
	g_autoptr(GBytes) current = NULL;
	g_autofree gchar *name = g_strdup_printf("0x%08X", write->offset);
	GPtrArray *notes;

	if (wf_flash_job_unknown_bytes(self, write->offset, write->length) == 0) {
		current = g_bytes_new_static(self->current, self->flash_size);
		wf_sfi_writer_set_current(writer, current);
		wf_sfi_writer_set_mode(writer, WF_SFI_WRITER_MODE_DIFF);
	} else {
		wf_sfi_writer_set_mode(writer, WF_SFI_WRITER_MODE_FULL);
	}
	if (!wf_sfi_writer_add_region(writer, name, write->offset, write->data, error))
		return FALSE;
	/* no cancellable: the block in progress is finished */
	write->state = WF_FLASH_WRITE_STATE_WRITTEN;
	if (!wf_sfi_writer_run(writer, NULL, error)) {
		if (g_error_matches(*error, WF_ERROR, WF_ERROR_VERIFY_FAILED))
			write->state = WF_FLASH_WRITE_STATE_MISMATCH;
		return FALSE;
	}
	notes = wf_sfi_writer_get_notes(writer);
	for (guint i = 0; i < notes->len; i++)
		wf_flash_job_note(self, "SFI: %s", (const gchar *)g_ptr_array_index(notes, i));
	if (g_strcmp0(wf_sfi_writer_get_readback_sha256(writer, 0), write->sha256) != 0) {
		/* the writer compares too; this is the job's own record */
		write->state = WF_FLASH_WRITE_STATE_MISMATCH;
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_VERIFY_FAILED,
			    "the flash at 0x%08X–0x%08X reads back different from what was written",
			    write->offset,
			    write->offset + write->length - 1);
		return FALSE;
	}
	write->state = WF_FLASH_WRITE_STATE_VERIFIED;
	memcpy(self->current + write->offset, g_bytes_get_data(write->data, NULL), write->length);
	memset(self->current_known + write->offset / WF_FLASH_JOB_SECTOR_SIZE,
	       1,
	       write->length / WF_FLASH_JOB_SECTOR_SIZE);
	return TRUE;
}

static gboolean
wf_flash_job_brom_read(WfFlashJob *self, guint32 offset, guint8 *buf, gsize len, GError **error)
{
	if (!wf_flash_job_prepare_watch(self, NULL, error))
		return FALSE;
	return wf_brom_read_memory(self->brom, offset, buf, len, 0, 0, NULL, NULL, NULL, error);
}

/* ---- run: the Download Agent path -------------------------------------------------------------
 */

/* the F0 answer is the running DA's own idea of the file system: if it
 * differs from what the plan assumed, the plan is checked again with it */
static gboolean
wf_flash_job_da_check_fs(WfFlashJob *self, GError **error)
{
	WfDaFatInfo fat = {0};
	guint32 offset;

	if (!wf_da_get_fat_info(self->da, &fat, NULL, error)) {
		g_prefix_error(error, "asking the Download Agent where the file system is: ");
		return FALSE;
	}
	if (fat.status != 0 || fat.nor_len == 0)
		return TRUE;
	offset = fat.nor_addr & WF_FLASH_PLAN_ADDR_MASK;
	if (self->has_fs && offset == self->fs_offset && fat.nor_len == self->fs_length)
		return TRUE;
	wf_flash_job_note(self,
			  "the Download Agent puts the file system at 0x%08X–0x%08X (F0)",
			  offset,
			  offset + fat.nor_len - 1);
	wf_flash_job_set_fs(self, offset, fat.nor_len, "F0 GET_FAT_INFO");
	wf_flash_plan_set_fs_region(self->plan, offset, fat.nor_len, "F0 GET_FAT_INFO");
	if (!wf_flash_plan_check_fs_tail(self->plan, error)) {
		g_prefix_error(error, "nothing was written: ");
		return FALSE;
	}
	return TRUE;
}

static gboolean
wf_flash_job_da_start(WfFlashJob *self, gboolean *blank, GCancellable *cancellable, GError **error)
{
	const WfDaReport *report;

	*blank = FALSE;
	if (!wf_flash_job_prepare_watch(self, cancellable, error))
		return FALSE;
	self->da = wf_da_new(wf_brom_get_transport(self->brom));
	wf_da_set_boot_versions(self->da,
				wf_device_info_get_brom_version(self->info),
				wf_device_info_get_bl_version(self->info));
	wf_da_set_flash_jedec(self->da, wf_flash_job_jedec(self), NULL);
	if (self->da_packet_size != 0)
		wf_da_set_packet_size(self->da, self->da_packet_size);
	if (self->progress != NULL)
		wf_progress_set_message(self->progress, "Starting the Download Agent");
	if (!wf_da_start(self->da, self->brom, self->da_file, self->da_entry, cancellable, error)) {
		if (!g_error_matches(*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			g_prefix_error(error, "starting the Download Agent: ");
		return FALSE;
	}
	/* a Download Agent the user named worked: the next command finds it unasked */
	if (self->da_path != NULL) {
		g_autoptr(GError) error_local = NULL;
		if (!wf_da_file_remember_choice(self->da_path, &error_local))
			g_debug("not remembering the Download Agent: %s", error_local->message);
	}
	report = wf_da_get_report(self->da);
	if (report->download_status == WF_DA_STATUS_BLANK_FLASH) {
		*blank = TRUE;
		return TRUE;
	}
	return wf_flash_job_da_check_fs(self, error);
}

static gboolean
wf_flash_job_da_read(WfFlashJob *self, guint32 offset, guint8 *buf, gsize len, GError **error)
{
	/* no cancellable: the DA cannot abandon a readback (docs/download-agent.md) */
	return wf_da_read_flash(self->da, offset, buf, len, NULL, NULL, error);
}

/* one D3 + D5 round: adjacent writes become one file */
static gboolean
wf_flash_job_da_write_round(WfFlashJob *self, guint first, guint n, GError **error)
{
	g_autoptr(GArray) files = g_array_new(FALSE, TRUE, sizeof(WfDaWriteFile));
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) blobs = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);

	for (guint i = first; i < first + n;) {
		const WfFlashWrite *write = g_ptr_array_index(self->writes, i);
		guint32 start = write->offset;
		guint32 end = write->offset + write->length;
		guint j = i + 1;
		WfDaWriteFile file = {0};
		gchar *name;
		GBytes *blob;

		while (j < first + n &&
		       ((const WfFlashWrite *)g_ptr_array_index(self->writes, j))->offset == end) {
			end += ((const WfFlashWrite *)g_ptr_array_index(self->writes, j))->length;
			j++;
		}
		name = g_strdup_printf("0x%08X", start);
		blob = g_bytes_new(self->target + start, end - start);
		g_ptr_array_add(names, name);
		g_ptr_array_add(blobs, blob);
		file.name = name;
		file.start = start;
		file.file_type = WF_FLASH_JOB_DA_RAW_FILE_TYPE;
		file.data = blob;
		g_array_append_val(files, file);
		i = j;
	}
	return wf_da_write_files(self->da,
				 (const WfDaWriteFile *)(gpointer)files->data,
				 files->len,
				 WF_DA_ERASE_BEST_EFFORT,
				 NULL,
				 NULL,
				 error);
}

/* ---- run: common ------------------------------------------------------------------------------
 */

static guint32
wf_flash_job_first_difference(const guint8 *a, const guint8 *b, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		if (a[i] != b[i])
			return (guint32)i;
	}
	return 0;
}

static gboolean
wf_flash_job_read_back(WfFlashJob *self, guint32 offset, guint8 *buf, gsize len, GError **error)
{
	if (self->method == WF_FLASH_METHOD_DA)
		return wf_flash_job_da_read(self, offset, buf, len, error);
	return wf_flash_job_brom_read(self, offset, buf, len, error);
}

/* reads a written piece back and compares SHA-256s */
static gboolean
wf_flash_job_verify_write(WfFlashJob *self, WfFlashWrite *write, GError **error)
{
	g_autofree guint8 *buf = g_malloc(write->length);
	g_autofree gchar *sha256 = NULL;

	if (!wf_flash_job_read_back(self, write->offset, buf, write->length, error)) {
		g_prefix_error(error, "reading back 0x%08X: ", write->offset);
		return FALSE;
	}
	sha256 = g_compute_checksum_for_data(G_CHECKSUM_SHA256, buf, write->length);
	if (g_strcmp0(sha256, write->sha256) == 0) {
		write->state = WF_FLASH_WRITE_STATE_VERIFIED;
		/* the watch now holds it */
		memcpy(self->current + write->offset, buf, write->length);
		return TRUE;
	}
	write->state = WF_FLASH_WRITE_STATE_MISMATCH;
	write->first_difference =
		write->offset + wf_flash_job_first_difference(
					buf, g_bytes_get_data(write->data, NULL), write->length);
	return TRUE;
}

static void
wf_flash_job_progress(WfFlashJob *self)
{
	if (self->progress != NULL)
		wf_progress_set_bytes(
			self->progress, self->bytes_done, wf_flash_job_get_write_size(self));
}

static void
wf_flash_job_round_done(WfFlashJob *self, guint first, guint n)
{
	for (guint i = first; i < first + n; i++)
		self->bytes_done += ((WfFlashWrite *)g_ptr_array_index(self->writes, i))->length;
	wf_flash_job_progress(self);
}

/* one round through the DA: D3 + D5 of the round's pieces, then a D6
 * read-back of each; a round whose read-back differs is written once more
 * before the job stops */
static gboolean
wf_flash_job_da_round(WfFlashJob *self, guint first, guint n, GError **error)
{
	for (guint attempt = 0; attempt < WF_FLASH_JOB_WRITE_ATTEMPTS; attempt++) {
		gboolean all_good = TRUE;

		if (!wf_flash_job_da_write_round(self, first, n, error))
			return FALSE;
		for (guint i = first; i < first + n; i++) {
			WfFlashWrite *write = g_ptr_array_index(self->writes, i);
			write->state = WF_FLASH_WRITE_STATE_WRITTEN;
		}
		for (guint i = first; i < first + n; i++) {
			WfFlashWrite *write = g_ptr_array_index(self->writes, i);
			if (!wf_flash_job_verify_write(self, write, error))
				return FALSE;
			if (write->state != WF_FLASH_WRITE_STATE_VERIFIED)
				all_good = FALSE;
		}
		if (all_good)
			return TRUE;
		g_debug("a write read back different; writing it again");
	}
	for (guint i = first; i < first + n; i++) {
		WfFlashWrite *write = g_ptr_array_index(self->writes, i);
		if (write->state == WF_FLASH_WRITE_STATE_MISMATCH) {
			g_set_error(
				error,
				WF_ERROR,
				WF_ERROR_VERIFY_FAILED,
				"the flash at 0x%08X–0x%08X reads back different from what was "
				"written (first difference at 0x%08X), twice: the flash chip may "
				"be failing or protected",
				write->offset,
				write->offset + write->length - 1,
				write->first_difference);
			return FALSE;
		}
	}
	return TRUE;
}

/* writes and verifies one piece (SFI) or one round (DA) */
static gboolean
wf_flash_job_write_round(WfFlashJob *self, guint first, guint n, GError **error)
{
	if (self->method == WF_FLASH_METHOD_DA) {
		if (!wf_flash_job_da_round(self, first, n, error))
			return FALSE;
	} else {
		for (guint i = first; i < first + n; i++) {
			if (!wf_flash_job_sfi_write(
				    self, g_ptr_array_index(self->writes, i), error))
				return FALSE;
		}
	}
	wf_flash_job_round_done(self, first, n);
	return TRUE;
}

/* how many writes (from @first) the next round takes: one for SFI (one
 * 64 KiB block at most), up to WF_FLASH_JOB_DA_ROUND_SIZE bytes for the DA */
static guint
wf_flash_job_round_size(WfFlashJob *self, guint first)
{
	guint64 bytes = 0;
	guint n = 0;

	if (self->method != WF_FLASH_METHOD_DA)
		return 1;
	for (guint i = first; i < self->writes->len; i++) {
		const WfFlashWrite *write = g_ptr_array_index(self->writes, i);
		if (n > 0 && bytes + write->length > WF_FLASH_JOB_DA_ROUND_SIZE)
			break;
		bytes += write->length;
		n++;
	}
	return n;
}

static gboolean
wf_flash_job_error_is_header_refusal(const GError *error)
{
	/* wf_da_status_set_error() names the status; a refusal of D3 means the
	 * DA checked the header block and found it missing */
	return g_error_matches(error, WF_ERROR, WF_ERROR_DEVICE_STATUS) &&
	       strstr(error->message, "S_DA_HEADER_BLOCK_NOT_EXIST") != NULL;
}

/*
 * The DA cannot write this watch after all: reset the watch through the DA,
 * catch it again in the boot ROM (the caller's reconnect function), check
 * it is the same watch, and go on through SFI.
 */
static gboolean
wf_flash_job_fall_back_to_sfi(WfFlashJob *self,
			      const gchar *why,
			      GCancellable *cancellable,
			      GError **error)
{
	g_autoptr(WfBrom) brom = NULL;
	g_autoptr(WfDeviceInfo) info = NULL;

	if (self->reconnect_func == NULL) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_NOT_SUPPORTED,
			    "the Download Agent cannot write this watch: %s. Unplug the watch, "
			    "then run again with --method sfi",
			    why);
		return FALSE;
	}
	wf_flash_job_note(self, "switching to SFI: %s", why);
	if (self->da != NULL)
		wf_da_enable_watchdog(self->da, WF_FLASH_JOB_DA_WDT_TIMEOUT, 0, NULL, NULL);
	g_clear_object(&self->da);
	brom = self->reconnect_func(self->reconnect_data, cancellable, error);
	if (brom == NULL) {
		g_prefix_error(error, "catching the watch again after the Download Agent: ");
		return FALSE;
	}
	if (!wf_device_info_identify(brom, self->flash_size, &info, cancellable, error))
		return FALSE;
	if (!wf_flash_job_ids_equal(wf_device_info_get_me_id_string(info),
				    wf_flash_job_me_id(self))) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_REFUSED,
			    "another watch (ME ID %s) answered after the reset; nothing more is "
			    "written",
			    wf_device_info_get_me_id_string(info));
		return FALSE;
	}
	g_set_object(&self->brom, brom);
	g_set_object(&self->info, info);
	self->watch_ready = FALSE;
	wf_flash_job_set_method_reason(self, WF_FLASH_METHOD_SFI, "%s", why);
	return wf_flash_job_prepare_watch(self, cancellable, error);
}

static gboolean
wf_flash_job_write_all(WfFlashJob *self, GCancellable *cancellable, GError **error)
{
	if (self->method == WF_FLASH_METHOD_DA) {
		gboolean blank = FALSE;
		if (!wf_flash_job_da_start(self, &blank, cancellable, error))
			return FALSE;
		if (blank &&
		    !wf_flash_job_fall_back_to_sfi(self,
						   "the Download Agent reported "
						   "S_DA_BLANK_FLASH (no valid header block)",
						   cancellable,
						   error))
			return FALSE;
	} else if (!wf_flash_job_prepare_watch(self, cancellable, error)) {
		return FALSE;
	}
	if (self->progress != NULL)
		wf_progress_set_message(self->progress, "Writing and verifying");
	for (guint i = 0; i < self->writes->len;) {
		g_autoptr(GError) error_local = NULL;
		guint n;

		/* between blocks: a cancel lets the last block finish */
		if (g_cancellable_set_error_if_cancelled(cancellable, error))
			return FALSE;
		n = wf_flash_job_round_size(self, i);
		if (!wf_flash_job_write_round(self, i, n, &error_local)) {
			if (self->method == WF_FLASH_METHOD_DA &&
			    wf_flash_job_error_is_header_refusal(error_local)) {
				if (!wf_flash_job_fall_back_to_sfi(
					    self,
					    "D3 MEM answered S_DA_HEADER_BLOCK_NOT_EXIST",
					    cancellable,
					    error))
					return FALSE;
				continue;
			}
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		i += n;
	}
	return TRUE;
}

/* the watch starts its firmware (or, still plugged in, its boot ROM again) */
static void
wf_flash_job_finish_watch(WfFlashJob *self)
{
	g_autoptr(GError) error_local = NULL;

	if (self->flags & WF_FLASH_JOB_FLAG_NO_RESET)
		return;
	if (self->da != NULL) {
		if (!wf_da_enable_watchdog(
			    self->da, WF_FLASH_JOB_DA_WDT_TIMEOUT, 0, NULL, &error_local))
			wf_flash_job_note(
				self, "the watch was not reset: %s", error_local->message);
		return;
	}
	if (!wf_brom_reset(self->brom, NULL, &error_local))
		wf_flash_job_note(self, "the watch was not reset: %s", error_local->message);
}

/* ---- outcome -----------------------------------------------------------------------------------
 */

static gboolean
wf_flash_job_any_written(WfFlashJob *self)
{
	for (guint i = 0; i < self->writes->len; i++) {
		const WfFlashWrite *write = g_ptr_array_index(self->writes, i);
		if (write->state != WF_FLASH_WRITE_STATE_PENDING)
			return TRUE;
	}
	return FALSE;
}

/* consecutive pieces in @state as "0x…–0x…, 0x…–0x…" */
static gchar *
wf_flash_job_ranges_in_state(WfFlashJob *self, WfFlashWriteState state, guint64 *bytes)
{
	g_autoptr(GString) str = g_string_new(NULL);
	guint64 start = 0;
	guint64 end = 0;
	gboolean open = FALSE;

	*bytes = 0;
	for (guint i = 0; i <= self->writes->len; i++) {
		const WfFlashWrite *write =
			i < self->writes->len ? g_ptr_array_index(self->writes, i) : NULL;
		gboolean match = write != NULL && write->state == state;

		if (open && (!match || write->offset != end)) {
			g_autofree gchar *range = wf_flash_job_range_text(start, end);
			if (str->len > 0)
				g_string_append(str, ", ");
			g_string_append(str, range);
			open = FALSE;
		}
		if (!match)
			continue;
		*bytes += write->length;
		if (!open) {
			start = write->offset;
			open = TRUE;
		}
		end = (guint64)write->offset + write->length;
	}
	return str->len > 0 ? g_string_free(g_steal_pointer(&str), FALSE) : NULL;
}

static const gchar *
wf_flash_job_repair_dir(WfFlashJob *self)
{
	if (self->kind == WF_FLASH_JOB_KIND_RESTORE && self->own_backup == NULL)
		return self->backup != NULL ? wf_backup_get_dir(self->backup) : NULL;
	if (self->own_backup != NULL)
		return wf_backup_get_dir(self->own_backup);
	return self->backup != NULL ? wf_backup_get_dir(self->backup) : NULL;
}

/**
 * wf_flash_job_get_outcome_text:
 * @self: a #WfFlashJob
 *
 * After a run that stopped part-way: which parts of the flash were written
 * and verified, written only, or not written, and how to repair the watch.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL if nothing was
 * written
 */
gchar *
wf_flash_job_get_outcome_text(WfFlashJob *self)
{
	g_autoptr(GString) str = g_string_new(NULL);
	const WfFlashWriteState states[] = {WF_FLASH_WRITE_STATE_VERIFIED,
					    WF_FLASH_WRITE_STATE_WRITTEN,
					    WF_FLASH_WRITE_STATE_MISMATCH,
					    WF_FLASH_WRITE_STATE_PENDING};
	const gchar *labels[] = {"written and verified",
				 "written, not verified",
				 "written, reads back DIFFERENT",
				 "not written"};
	const gchar *dir;

	g_return_val_if_fail(WF_IS_FLASH_JOB(self), NULL);
	if (!wf_flash_job_any_written(self))
		return NULL;
	for (guint i = 0; i < G_N_ELEMENTS(states); i++) {
		guint64 bytes = 0;
		g_autofree gchar *ranges = wf_flash_job_ranges_in_state(self, states[i], &bytes);
		if (ranges == NULL)
			continue;
		g_string_append_printf(str,
				       "%s (%" G_GUINT64_FORMAT " KiB): %s\n",
				       labels[i],
				       bytes / 1024,
				       ranges);
	}
	dir = wf_flash_job_repair_dir(self);
	if (self->da != NULL)
		g_string_append(str,
				"The Download Agent is still running on the watch: unplug it and "
				"plug it in again (switched off) first. ");
	g_string_append(str, "The watch may not start now, but its boot ROM is always reachable: ");
	if (dir != NULL)
		g_string_append_printf(
			str, "“wristflash-cli restore %s” puts it back as it was.", dir);
	else
		g_string_append(str, "restoring a backup of this watch puts it back.");
	return g_string_free(g_steal_pointer(&str), FALSE);
}

static const gchar *
wf_flash_job_region_state(WfFlashJob *self, const WfFlashRegion *region)
{
	gboolean any = FALSE;
	gboolean all_verified = TRUE;
	gboolean any_written = FALSE;
	guint64 rend = (guint64)region->offset + region->length;

	for (guint i = 0; i < self->writes->len; i++) {
		const WfFlashWrite *write = g_ptr_array_index(self->writes, i);
		if ((guint64)write->offset >= rend ||
		    write->offset + write->length <= region->offset)
			continue;
		any = TRUE;
		if (write->state != WF_FLASH_WRITE_STATE_VERIFIED)
			all_verified = FALSE;
		if (write->state != WF_FLASH_WRITE_STATE_PENDING)
			any_written = TRUE;
	}
	if (!any)
		return "unchanged";
	if (all_verified)
		return WF_FLASH_HISTORY_REGION_VERIFIED;
	return any_written ? WF_FLASH_HISTORY_REGION_WRITTEN : WF_FLASH_HISTORY_REGION_NOT_WRITTEN;
}

static guint64
wf_flash_job_bytes_written(WfFlashJob *self)
{
	guint64 total = 0;
	for (guint i = 0; i < self->writes->len; i++) {
		const WfFlashWrite *write = g_ptr_array_index(self->writes, i);
		if (write->state != WF_FLASH_WRITE_STATE_PENDING)
			total += write->length;
	}
	return total;
}

static void
wf_flash_job_record(WfFlashJob *self, GDateTime *started)
{
	g_autoptr(WfFlashHistoryEntry) entry = NULL;
	g_autoptr(GError) error_local = NULL;
	GPtrArray *regions;
	WfBackup *backup = self->own_backup != NULL ? self->own_backup : self->backup;

	if (self->history == NULL)
		return;
	entry = wf_flash_history_entry_new(wf_flash_job_kind_to_string(self->kind),
					   wf_flash_job_me_id(self));
	g_date_time_unref(entry->started);
	entry->started = g_date_time_ref(started);
	entry->seconds = self->seconds;
	entry->method = g_strdup(wf_flash_method_to_string(self->method));
	entry->method_reason = g_strdup(self->method_reason);
	g_free(entry->result);
	entry->result = g_strdup(self->result);
	entry->error = g_strdup(self->error_message);
	entry->jedec_id = g_strdup(wf_flash_job_jedec(self));
	entry->chip = g_strdup(wf_device_info_get_chip(self->info));
	if (backup != NULL) {
		entry->backup_dir = g_strdup(wf_backup_get_dir(backup));
		entry->backup_sha256 = g_strdup(wf_backup_get_sha256(backup));
	}
	for (guint i = 0; i < self->sources->len; i++) {
		const WfFlashHistorySource *source = g_ptr_array_index(self->sources, i);
		wf_flash_history_entry_add_source(
			entry, source->path, source->sha256, source->size);
	}
	regions = wf_flash_plan_get_regions(self->plan);
	for (guint i = 0; i < regions->len; i++) {
		const WfFlashRegion *region = g_ptr_array_index(regions, i);
		wf_flash_history_entry_add_region(entry,
						  region->name,
						  region->offset,
						  region->length,
						  region->sha256,
						  wf_flash_job_region_state(self, region));
	}
	entry->bytes_written = wf_flash_job_bytes_written(self);
	if (!wf_flash_history_append(self->history, entry, &error_local)) {
		g_message("the flash history was not updated: %s", error_local->message);
		wf_flash_job_note(self, "the history was not updated: %s", error_local->message);
	}
}

static void
wf_flash_job_set_result(WfFlashJob *self, const GError *error)
{
	g_free(self->result);
	g_free(self->error_message);
	self->error_message = error != NULL ? g_strdup(error->message) : NULL;
	if (error == NULL)
		self->result = g_strdup(WF_FLASH_HISTORY_RESULT_OK);
	else if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		self->result = g_strdup(WF_FLASH_HISTORY_RESULT_CANCELLED);
	else if (g_error_matches(error, WF_ERROR, WF_ERROR_VERIFY_FAILED) &&
		 wf_flash_job_any_written(self))
		self->result = g_strdup(WF_FLASH_HISTORY_RESULT_VERIFY_FAILED);
	else if (wf_flash_job_any_written(self))
		self->result = g_strdup(WF_FLASH_HISTORY_RESULT_INTERRUPTED);
	else
		self->result = g_strdup(WF_FLASH_HISTORY_RESULT_FAILED);
}

/**
 * wf_flash_job_run:
 * @self: a prepared #WfFlashJob
 * @progress: (nullable): gets a "write" step: bytes written and verified
 * @cancellable: (nullable): a #GCancellable, looked at between blocks
 * @error: (out): return location
 *
 * Writes what prepare() planned, verifies every piece by reading it back,
 * resets the watch and records the run in the history. On failure the
 * error says what happened; wf_flash_job_get_outcome_text() says what the
 * watch holds now and how to repair it.
 */
gboolean
wf_flash_job_run(WfFlashJob *self, WfProgress *progress, GCancellable *cancellable, GError **error)
{
	g_autoptr(GDateTime) started = NULL;
	g_autoptr(GError) error_local = NULL;
	gint64 t0;
	gboolean ok;

	g_return_val_if_fail(WF_IS_FLASH_JOB(self), FALSE);
	g_return_val_if_fail(progress == NULL || WF_IS_PROGRESS(progress), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!self->prepared || self->ran) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_INTERNAL,
				    self->ran ? "the job already ran" : "the job is not prepared");
		return FALSE;
	}
	if (self->flags & WF_FLASH_JOB_FLAG_DRY_RUN) {
		g_set_error_literal(
			error, WF_ERROR, WF_ERROR_REFUSED, "this is a dry run: nothing is written");
		return FALSE;
	}
	if (self->compat != NULL &&
	    wf_compat_get_verdict(self->compat) == WF_COMPAT_VERDICT_RISKY &&
	    (self->flags & WF_FLASH_JOB_FLAG_ACCEPT_RISKY) == 0) {
		g_autofree gchar *why =
			wf_flash_job_compat_lines(self->compat, WF_COMPAT_LEVEL_RISKY);
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_REFUSED,
			    "this firmware is RISKY on this watch (%s): nothing was written; "
			    "confirm that you want it (--yes)",
			    why);
		return FALSE;
	}
	self->ran = TRUE;
	self->progress = progress;
	started = g_date_time_new_now_utc();
	t0 = g_get_monotonic_time();
	if (progress != NULL) {
		wf_progress_add_step(progress, "write", 1, "Writing and verifying");
		wf_flash_job_progress(self);
	}
	ok = wf_flash_job_write_all(self, cancellable, &error_local);
	if (ok)
		wf_flash_job_finish_watch(self);
	self->seconds = (g_get_monotonic_time() - t0) / 1e6;
	wf_flash_job_set_result(self, error_local);
	wf_flash_job_record(self, started);
	self->progress = NULL;
	if (!ok) {
		if (progress != NULL)
			wf_progress_step_done(progress);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	if (progress != NULL)
		wf_progress_finish(progress);
	return TRUE;
}

/* ---- getters -----------------------------------------------------------------------------------
 */

WfFlashJobKind
wf_flash_job_get_kind(WfFlashJob *self)
{
	g_return_val_if_fail(WF_IS_FLASH_JOB(self), WF_FLASH_JOB_KIND_RESTORE);
	return self->kind;
}

/**
 * wf_flash_job_get_plan:
 * @self: a #WfFlashJob
 *
 * Returns: (transfer none) (nullable): the plan, once prepare() built it
 */
WfFlashPlan *
wf_flash_job_get_plan(WfFlashJob *self)
{
	g_return_val_if_fail(WF_IS_FLASH_JOB(self), NULL);
	return self->plan;
}

WfFlashMethod
wf_flash_job_get_method(WfFlashJob *self)
{
	g_return_val_if_fail(WF_IS_FLASH_JOB(self), WF_FLASH_METHOD_AUTO);
	return self->method;
}

const gchar *
wf_flash_job_get_method_reason(WfFlashJob *self)
{
	g_return_val_if_fail(WF_IS_FLASH_JOB(self), NULL);
	return self->method_reason;
}

/**
 * wf_flash_job_get_writes:
 * @self: a #WfFlashJob
 *
 * Returns: (transfer none) (element-type WfFlashWrite): the pieces of flash
 * the job writes, by offset, with their state
 */
GPtrArray *
wf_flash_job_get_writes(WfFlashJob *self)
{
	g_return_val_if_fail(WF_IS_FLASH_JOB(self), NULL);
	return self->writes;
}

/**
 * wf_flash_job_get_backup:
 * @self: a #WfFlashJob
 *
 * Returns: (transfer none) (nullable): restore: the backup being written
 * back; flash and erase: the backup of this watch that protects the write
 */
WfBackup *
wf_flash_job_get_backup(WfFlashJob *self)
{
	g_return_val_if_fail(WF_IS_FLASH_JOB(self), NULL);
	return self->backup;
}

/**
 * wf_flash_job_get_notes:
 * @self: a #WfFlashJob
 *
 * Returns: (transfer none) (element-type utf8): remarks for the user
 */
GPtrArray *
wf_flash_job_get_notes(WfFlashJob *self)
{
	g_return_val_if_fail(WF_IS_FLASH_JOB(self), NULL);
	return self->notes;
}

/**
 * wf_flash_job_get_compat:
 * @self: a #WfFlashJob
 *
 * Returns: (transfer none) (nullable): flash: the compatibility verdict of
 * the firmware on this watch, with its reasons
 */
WfCompat *
wf_flash_job_get_compat(WfFlashJob *self)
{
	g_return_val_if_fail(WF_IS_FLASH_JOB(self), NULL);
	return self->compat;
}

gboolean
wf_flash_job_is_up_to_date(WfFlashJob *self)
{
	g_return_val_if_fail(WF_IS_FLASH_JOB(self), FALSE);
	return self->up_to_date;
}

/**
 * wf_flash_job_get_result:
 * @self: a #WfFlashJob
 *
 * Returns: (nullable): a WF_FLASH_HISTORY_RESULT_* string after run()
 */
const gchar *
wf_flash_job_get_result(WfFlashJob *self)
{
	g_return_val_if_fail(WF_IS_FLASH_JOB(self), NULL);
	return self->result;
}

gdouble
wf_flash_job_get_seconds(WfFlashJob *self)
{
	g_return_val_if_fail(WF_IS_FLASH_JOB(self), 0);
	return self->seconds;
}

/**
 * wf_flash_job_to_json:
 * @self: a #WfFlashJob
 *
 * Returns: (transfer full): the plan, the method and why, every write with
 * its state, and the result
 */
JsonNode *
wf_flash_job_to_json(WfFlashJob *self)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autofree gchar *outcome = NULL;

	g_return_val_if_fail(WF_IS_FLASH_JOB(self), NULL);
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "operation");
	json_builder_add_string_value(builder, wf_flash_job_kind_to_string(self->kind));
	json_builder_set_member_name(builder, "result");
	if (self->result != NULL)
		json_builder_add_string_value(builder, self->result);
	else if (self->flags & WF_FLASH_JOB_FLAG_DRY_RUN)
		json_builder_add_string_value(builder, "dry-run");
	else
		json_builder_add_null_value(builder);
	if (self->error_message != NULL) {
		json_builder_set_member_name(builder, "error");
		json_builder_add_string_value(builder, self->error_message);
	}
	json_builder_set_member_name(builder, "method");
	json_builder_add_string_value(builder, wf_flash_method_to_string(self->method));
	json_builder_set_member_name(builder, "method_reason");
	json_builder_add_string_value(builder,
				      self->method_reason != NULL ? self->method_reason : "");
	json_builder_set_member_name(builder, "up_to_date");
	json_builder_add_boolean_value(builder, self->up_to_date);
	if (self->backup != NULL) {
		json_builder_set_member_name(builder, "backup");
		json_builder_add_string_value(builder, wf_backup_get_dir(self->backup));
	}
	if (self->own_backup != NULL) {
		json_builder_set_member_name(builder, "own_backup");
		json_builder_add_string_value(builder, wf_backup_get_dir(self->own_backup));
	}
	json_builder_set_member_name(builder, "bytes_to_write");
	json_builder_add_int_value(builder, (gint64)wf_flash_job_get_write_size(self));
	json_builder_set_member_name(builder, "bytes_written");
	json_builder_add_int_value(builder, (gint64)wf_flash_job_bytes_written(self));
	json_builder_set_member_name(builder, "seconds");
	json_builder_add_double_value(builder, self->seconds);
	json_builder_set_member_name(builder, "writes");
	json_builder_begin_array(builder);
	for (guint i = 0; i < self->writes->len; i++) {
		const WfFlashWrite *write = g_ptr_array_index(self->writes, i);
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "offset");
		json_builder_add_int_value(builder, write->offset);
		json_builder_set_member_name(builder, "length");
		json_builder_add_int_value(builder, write->length);
		json_builder_set_member_name(builder, "sha256");
		json_builder_add_string_value(builder, write->sha256);
		json_builder_set_member_name(builder, "state");
		json_builder_add_string_value(builder,
					      wf_flash_write_state_to_string(write->state));
		if (write->state == WF_FLASH_WRITE_STATE_MISMATCH) {
			json_builder_set_member_name(builder, "first_difference");
			json_builder_add_int_value(builder, write->first_difference);
		}
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);
	json_builder_set_member_name(builder, "notes");
	json_builder_begin_array(builder);
	for (guint i = 0; i < self->notes->len; i++)
		json_builder_add_string_value(builder, g_ptr_array_index(self->notes, i));
	json_builder_end_array(builder);
	outcome = self->result != NULL && g_strcmp0(self->result, WF_FLASH_HISTORY_RESULT_OK) != 0
			  ? wf_flash_job_get_outcome_text(self)
			  : NULL;
	if (outcome != NULL) {
		json_builder_set_member_name(builder, "outcome");
		json_builder_add_string_value(builder, outcome);
	}
	if (self->compat != NULL) {
		json_builder_set_member_name(builder, "compatibility");
		json_builder_add_value(builder, wf_compat_to_json(self->compat));
	}
	if (self->plan != NULL) {
		json_builder_set_member_name(builder, "plan");
		json_builder_add_value(builder, wf_flash_plan_to_json(self->plan));
	}
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}
