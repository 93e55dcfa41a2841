/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-backup.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "wf-dump.h"
#include "wf-error.h"

/*
 * How a backup reads the flash without any code on the chip (protocol.md
 * §3.9): watchdog off, flash remapped to 0, then READ32 of the mapped window.
 * BROM reads carry no checksum, so every window is read twice and compared;
 * 64 KiB chunks that differ are re-read until two reads agree. Only windows
 * that verified are written to flash.bin and recorded in resume.json, so an
 * interrupted backup continues where it stopped.
 */

#define WF_BACKUP_WINDOW_SIZE	 (1024 * 1024)
#define WF_BACKUP_CHUNK_SIZE	 (64 * 1024)
#define WF_BACKUP_PIPELINE_DEPTH 2
#define WF_BACKUP_MAX_READS	 6 /* of one chunk before giving up */
#define WF_BACKUP_FORMAT_VERSION 1

#define WF_BACKUP_IMAGE_NAME  "flash.bin"
#define WF_BACKUP_RECORD_NAME "backup.json"
#define WF_BACKUP_RESUME_NAME "resume.json"

struct _WfBackup {
	GObject parent_instance;
	gchar *dir;
	JsonObject *record;
	GDateTime *created;
};

G_DEFINE_FINAL_TYPE(WfBackup, wf_backup, G_TYPE_OBJECT)

static void
wf_backup_finalize(GObject *object)
{
	WfBackup *self = WF_BACKUP(object);
	g_free(self->dir);
	if (self->record != NULL)
		json_object_unref(self->record);
	if (self->created != NULL)
		g_date_time_unref(self->created);
	G_OBJECT_CLASS(wf_backup_parent_class)->finalize(object);
}

static void
wf_backup_class_init(WfBackupClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_backup_finalize;
}

static void
wf_backup_init(WfBackup *self)
{
}

/* ---- the state of one backup run ------------------------------------------------------------ */

typedef struct {
	WfBrom *brom;
	WfDeviceInfo *info;
	WfProgress *progress;
	GCancellable *cancellable;
	gchar *final_dir;
	gchar *partial_dir;
	gint image_fd;
	guint64 flash_size;
	guint n_windows;
	guint8 *verified; /* one flag per window */
	guint64 bytes_verified;
	guint64 bytes_transferred; /* flash bytes read over the link, all passes */
	guint chunks_reread;
	guint window_pass; /* 0 or 1 while a window is read; progress counts half of each */
	gsize window_len;
	gdouble first_pass_seconds; /* the time spent on the first read of each window */
	gint64 start_us;
	GDateTime *started;
	guint8 *buf_a;
	guint8 *buf_b;
} WfBackupRun;

static void
wf_backup_run_free(WfBackupRun *run)
{
	if (run->image_fd >= 0)
		close(run->image_fd);
	g_free(run->final_dir);
	g_free(run->partial_dir);
	g_free(run->verified);
	g_free(run->buf_a);
	g_free(run->buf_b);
	if (run->started != NULL)
		g_date_time_unref(run->started);
	g_free(run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(WfBackupRun, wf_backup_run_free)

/* ---- small file helpers --------------------------------------------------------------------- */

static gboolean
wf_backup_fsync_path(const gchar *path, GError **error)
{
	gint fd = g_open(path, O_RDONLY | O_CLOEXEC, 0);

	if (fd < 0) {
		g_autofree gchar *what = g_strdup_printf("open %s", path);
		wf_error_convert_errno(error, errno, what);
		return FALSE;
	}
	if (fsync(fd) != 0 && errno != EINVAL) {
		g_autofree gchar *what = g_strdup_printf("fsync %s", path);
		wf_error_convert_errno(error, errno, what);
		close(fd);
		return FALSE;
	}
	close(fd);
	return TRUE;
}

/* Writes @contents to @path through a temporary file, fsync and rename, so a
 * reader only ever sees the old or the new whole file. */
static gboolean
wf_backup_write_file_atomic(const gchar *path, const gchar *contents, GError **error)
{
	g_autofree gchar *dir = g_path_get_dirname(path);

	if (!g_file_set_contents_full(path,
				      contents,
				      -1,
				      G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
				      0644,
				      error)) {
		g_prefix_error(error, "cannot write %s: ", path);
		return FALSE;
	}
	return wf_backup_fsync_path(dir, error);
}

static gchar *
wf_backup_json_to_string(JsonObject *object)
{
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
	g_autoptr(JsonGenerator) generator = json_generator_new();

	json_node_set_object(node, object);
	json_generator_set_root(generator, node);
	json_generator_set_pretty(generator, TRUE);
	return json_generator_to_data(generator, NULL);
}

static JsonObject *
wf_backup_load_json_object(const gchar *path, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonNode *root;

	if (!json_parser_load_from_file(parser, path, error)) {
		g_prefix_error(error, "cannot read %s: ", path);
		return NULL;
	}
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error(
			error, WF_ERROR, WF_ERROR_INVALID_FILE, "%s is not a JSON object", path);
		return NULL;
	}
	return json_object_ref(json_node_get_object(root));
}

/* ---- resume state ---------------------------------------------------------------------------- */

static gboolean
wf_backup_run_save_resume(WfBackupRun *run, GError **error)
{
	g_autoptr(JsonObject) state = json_object_new();
	g_autofree gchar *path = g_build_filename(run->partial_dir, WF_BACKUP_RESUME_NAME, NULL);
	g_autofree gchar *text = NULL;
	g_autoptr(GString) bitmap = g_string_new(NULL);

	for (guint i = 0; i < run->n_windows; i++)
		g_string_append_c(bitmap, run->verified[i] ? '1' : '0');
	json_object_set_int_member(state, "format", WF_BACKUP_FORMAT_VERSION);
	json_object_set_string_member(state, "me_id", wf_device_info_get_me_id_string(run->info));
	json_object_set_string_member(
		state, "jedec_id", wf_device_info_get_jedec_id_string(run->info));
	json_object_set_int_member(state, "flash_size", (gint64)run->flash_size);
	json_object_set_int_member(state, "window_size", WF_BACKUP_WINDOW_SIZE);
	json_object_set_string_member(state, "verified_windows", bitmap->str);
	text = wf_backup_json_to_string(state);
	return wf_backup_write_file_atomic(path, text, error);
}

static gboolean
wf_backup_run_load_resume(WfBackupRun *run, GError **error)
{
	g_autofree gchar *path = g_build_filename(run->partial_dir, WF_BACKUP_RESUME_NAME, NULL);
	g_autoptr(JsonObject) state = NULL;
	const gchar *me_id;
	const gchar *jedec;
	const gchar *bitmap;

	state = wf_backup_load_json_object(path, error);
	if (state == NULL)
		return FALSE;
	me_id = json_object_get_string_member_with_default(state, "me_id", "");
	jedec = json_object_get_string_member_with_default(state, "jedec_id", "");
	if (g_strcmp0(me_id, wf_device_info_get_me_id_string(run->info)) != 0 ||
	    g_strcmp0(jedec, wf_device_info_get_jedec_id_string(run->info)) != 0) {
		g_set_error(
			error,
			WF_ERROR,
			WF_ERROR_REFUSED,
			"the interrupted backup in %s is of another watch (ME ID %s, flash %s); "
			"this watch is ME ID %s, flash %s",
			run->partial_dir,
			me_id,
			jedec,
			wf_device_info_get_me_id_string(run->info),
			wf_device_info_get_jedec_id_string(run->info));
		return FALSE;
	}
	if ((guint64)json_object_get_int_member_with_default(state, "flash_size", 0) !=
		    run->flash_size ||
	    json_object_get_int_member_with_default(state, "window_size", 0) !=
		    WF_BACKUP_WINDOW_SIZE) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "the interrupted backup in %s was made with another flash size or "
			    "format; remove it and start again",
			    run->partial_dir);
		return FALSE;
	}
	bitmap = json_object_get_string_member_with_default(state, "verified_windows", "");
	if (strlen(bitmap) != run->n_windows) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s is damaged: it lists %u windows, expected %u",
			    path,
			    (guint)strlen(bitmap),
			    run->n_windows);
		return FALSE;
	}
	for (guint i = 0; i < run->n_windows; i++) {
		run->verified[i] = bitmap[i] == '1';
		if (run->verified[i])
			run->bytes_verified +=
				MIN(WF_BACKUP_WINDOW_SIZE,
				    run->flash_size - (guint64)i * WF_BACKUP_WINDOW_SIZE);
	}
	return TRUE;
}

/* ---- preparing the folder ------------------------------------------------------------------- */

static gboolean
wf_backup_run_prepare_dir(WfBackupRun *run, WfBackupFlags flags, GError **error)
{
	g_autofree gchar *image_path = NULL;

	if (g_file_test(run->final_dir, G_FILE_TEST_EXISTS)) {
		g_set_error(
			error,
			WF_ERROR,
			WF_ERROR_EXISTS,
			"%s already exists; backups are never overwritten, choose another folder",
			run->final_dir);
		return FALSE;
	}
	if (flags & WF_BACKUP_FLAG_RESUME) {
		if (!g_file_test(run->partial_dir, G_FILE_TEST_IS_DIR)) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_NOT_FOUND,
				    "there is no interrupted backup to resume at %s",
				    run->partial_dir);
			return FALSE;
		}
		if (!wf_backup_run_load_resume(run, error))
			return FALSE;
	} else {
		if (g_file_test(run->partial_dir, G_FILE_TEST_EXISTS)) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_EXISTS,
				    "an interrupted backup is in %s; continue it with --resume, "
				    "or remove it to start again",
				    run->partial_dir);
			return FALSE;
		}
		if (g_mkdir_with_parents(run->partial_dir, 0755) != 0) {
			g_autofree gchar *what = g_strdup_printf("create %s", run->partial_dir);
			wf_error_convert_errno(error, errno, what);
			return FALSE;
		}
		if (!wf_backup_run_save_resume(run, error))
			return FALSE;
	}
	image_path = g_build_filename(run->partial_dir, WF_BACKUP_IMAGE_NAME, NULL);
	run->image_fd = g_open(image_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (run->image_fd < 0) {
		g_autofree gchar *what = g_strdup_printf("open %s", image_path);
		wf_error_convert_errno(error, errno, what);
		return FALSE;
	}
	if (ftruncate(run->image_fd, (off_t)run->flash_size) != 0) {
		g_autofree gchar *what = g_strdup_printf("resize %s", image_path);
		wf_error_convert_errno(error, errno, what);
		return FALSE;
	}
	return TRUE;
}

/* ---- reading -----------------------------------------------------------------------------------
 */

/* Progress inside a window, so the user sees it move with every chunk: each of
 * the two passes counts for half of the window's bytes. */
static void
wf_backup_run_chunk_read_cb(gsize done, gsize total, gpointer user_data)
{
	WfBackupRun *run = user_data;
	guint64 within = ((guint64)run->window_pass * run->window_len + done) / 2;

	if (run->progress == NULL || run->window_pass > 1)
		return;
	wf_progress_set_bytes(
		run->progress, run->bytes_verified + MIN(within, run->window_len), run->flash_size);
}

static gboolean
wf_backup_run_read(WfBackupRun *run, guint64 offset, guint8 *buf, gsize len, GError **error)
{
	if (!wf_brom_read_memory(run->brom,
				 (guint32)offset,
				 buf,
				 len,
				 WF_BACKUP_CHUNK_SIZE,
				 WF_BACKUP_PIPELINE_DEPTH,
				 wf_backup_run_chunk_read_cb,
				 run,
				 run->cancellable,
				 error)) {
		g_prefix_error(
			error, "reading the flash window at 0x%08" G_GINT64_MODIFIER "x: ", offset);
		return FALSE;
	}
	run->bytes_transferred += len;
	return TRUE;
}

/*
 * One chunk read differently twice: read it again until some two reads agree.
 * @good holds the first read and receives the agreed bytes.
 */
static gboolean
wf_backup_run_settle_chunk(WfBackupRun *run,
			   guint64 offset,
			   guint8 *good,
			   const guint8 *second,
			   gsize len,
			   GError **error)
{
	g_autoptr(GPtrArray) reads = g_ptr_array_new_with_free_func(g_free);

	g_ptr_array_add(reads, g_memdup2(good, len));
	g_ptr_array_add(reads, g_memdup2(second, len));
	run->chunks_reread++;
	for (guint attempt = 2; attempt < WF_BACKUP_MAX_READS; attempt++) {
		g_autofree guint8 *next = g_malloc(len);

		g_debug("chunk at 0x%08" G_GINT64_MODIFIER "x read differently, reading it again",
			offset);
		if (!wf_backup_run_read(run, offset, next, len, error))
			return FALSE;
		for (guint i = 0; i < reads->len; i++) {
			if (memcmp(g_ptr_array_index(reads, i), next, len) == 0) {
				memcpy(good, next, len);
				return TRUE;
			}
		}
		g_ptr_array_add(reads, g_steal_pointer(&next));
	}
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_VERIFY_FAILED,
		    "the flash at 0x%08" G_GINT64_MODIFIER "x–0x%08" G_GINT64_MODIFIER
		    "x never read the same twice in %u reads: the link or the watch is unreliable "
		    "(try another cable or USB port); the backup was not completed",
		    offset,
		    offset + len - 1,
		    (guint)WF_BACKUP_MAX_READS);
	return FALSE;
}

static gboolean
wf_backup_run_write_window(
	WfBackupRun *run, guint64 offset, const guint8 *buf, gsize len, GError **error)
{
	gsize done = 0;

	while (done < len) {
		gssize n = pwrite(run->image_fd, buf + done, len - done, (off_t)(offset + done));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			wf_error_convert_errno(error, errno, "write flash.bin");
			return FALSE;
		}
		done += (gsize)n;
	}
	if (fdatasync(run->image_fd) != 0) {
		wf_error_convert_errno(error, errno, "sync flash.bin");
		return FALSE;
	}
	return TRUE;
}

/* Reads one window twice, settles differing chunks, stores it. */
static gboolean
wf_backup_run_window(WfBackupRun *run, guint index, GError **error)
{
	guint64 offset = (guint64)index * WF_BACKUP_WINDOW_SIZE;
	gsize len = MIN(WF_BACKUP_WINDOW_SIZE, run->flash_size - offset);
	gint64 t0 = g_get_monotonic_time();

	run->window_len = len;
	run->window_pass = 0;
	if (!wf_backup_run_read(run, offset, run->buf_a, len, error))
		return FALSE;
	run->first_pass_seconds += (g_get_monotonic_time() - t0) / 1e6;
	run->window_pass = 1;
	if (!wf_backup_run_read(run, offset, run->buf_b, len, error))
		return FALSE;
	run->window_pass = 2; /* re-reads of differing chunks do not move the bar */
	for (gsize chunk = 0; chunk < len; chunk += WF_BACKUP_CHUNK_SIZE) {
		gsize clen = MIN(WF_BACKUP_CHUNK_SIZE, len - chunk);
		if (memcmp(run->buf_a + chunk, run->buf_b + chunk, clen) == 0)
			continue;
		if (!wf_backup_run_settle_chunk(run,
						offset + chunk,
						run->buf_a + chunk,
						run->buf_b + chunk,
						clen,
						error))
			return FALSE;
	}
	if (!wf_backup_run_write_window(run, offset, run->buf_a, len, error))
		return FALSE;
	run->verified[index] = TRUE;
	run->bytes_verified += len;
	return wf_backup_run_save_resume(run, error);
}

static gboolean
wf_backup_run_prepare_watch(WfBackupRun *run, GError **error)
{
	/* the watch resets itself (and the port vanishes) if these are left on */
	if (!wf_brom_disable_watchdog(run->brom, run->cancellable, error))
		return FALSE;
	if (!wf_brom_extend_charger_wdt(run->brom, run->cancellable, error))
		return FALSE;
	return wf_brom_remap_flash(run->brom, run->cancellable, error);
}

static gboolean
wf_backup_run_read_all(WfBackupRun *run, GError **error)
{
	for (guint i = 0; i < run->n_windows; i++) {
		if (run->verified[i])
			continue;
		if (!wf_backup_run_window(run, i, error))
			return FALSE;
		if (run->progress != NULL)
			wf_progress_set_bytes(run->progress, run->bytes_verified, run->flash_size);
	}
	return TRUE;
}

/* ---- finishing ----------------------------------------------------------------------------------
 */

static gchar *
wf_backup_sha256_fd(gint fd, guint64 size, GError **error)
{
	g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_SHA256);
	g_autofree guint8 *buf = g_malloc(WF_BACKUP_WINDOW_SIZE);
	guint64 offset = 0;

	while (offset < size) {
		gssize n = pread(fd, buf, MIN(WF_BACKUP_WINDOW_SIZE, size - offset), (off_t)offset);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			wf_error_convert_errno(error, n < 0 ? errno : EIO, "read flash.bin");
			return NULL;
		}
		g_checksum_update(checksum, buf, n);
		offset += (guint64)n;
	}
	return g_strdup(g_checksum_get_string(checksum));
}

static JsonObject *
wf_backup_run_build_record(WfBackupRun *run, const gchar *sha256)
{
	JsonObject *record = json_object_new();
	JsonObject *link = json_object_new();
	g_autoptr(GDateTime) finished = g_date_time_new_now_utc();
	g_autofree gchar *started_str = g_date_time_format_iso8601(run->started);
	g_autofree gchar *finished_str = g_date_time_format_iso8601(finished);
	gdouble seconds = (g_get_monotonic_time() - run->start_us) / 1e6;
	guint64 rx = 0, tx = 0;

	wf_transport_get_counters(wf_brom_get_transport(run->brom), &rx, &tx);
	json_object_set_int_member(record, "format", WF_BACKUP_FORMAT_VERSION);
	json_object_set_string_member(record, "tool", "wristflash " PACKAGE_VERSION);
	json_object_set_string_member(record, "image", WF_BACKUP_IMAGE_NAME);
	json_object_set_string_member(record, "sha256", sha256);
	json_object_set_int_member(record, "flash_size", (gint64)run->flash_size);
	json_object_set_string_member(record, "me_id", wf_device_info_get_me_id_string(run->info));
	json_object_set_string_member(
		record, "jedec_id", wf_device_info_get_jedec_id_string(run->info));
	json_object_set_string_member(record, "chip", wf_device_info_get_chip(run->info));
	json_object_set_member(record, "device", wf_device_info_to_json(run->info));
	json_object_set_string_member(record, "method", "brom-read32");
	json_object_set_string_member(record, "verification", "read-twice");
	json_object_set_string_member(record, "started", started_str);
	json_object_set_string_member(record, "finished", finished_str);
	json_object_set_int_member(link, "bytes_received", (gint64)rx);
	json_object_set_int_member(link, "bytes_sent", (gint64)tx);
	json_object_set_int_member(link, "flash_bytes_read", (gint64)run->bytes_transferred);
	json_object_set_int_member(link, "chunks_reread", run->chunks_reread);
	json_object_set_double_member(link, "seconds", seconds);
	json_object_set_double_member(link, "first_pass_seconds", run->first_pass_seconds);
	json_object_set_member(record, "link", json_node_init_object(json_node_alloc(), link));
	json_object_unref(link);
	{
		/* which firmware the watch runs (docs/formats.md "Firmware identity"); a
		 * dump nobody can identify is still a complete backup */
		g_autofree gchar *image_path =
			g_build_filename(run->partial_dir, WF_BACKUP_IMAGE_NAME, NULL);
		g_autoptr(GError) id_error = NULL;
		g_autoptr(WfDump) dump = wf_dump_new_from_file(image_path, &id_error);
		if (dump != NULL) {
			json_object_set_member(
				record,
				"firmware",
				wf_firmware_identity_to_json(wf_dump_get_identity(dump)));
		} else {
			json_object_set_null_member(record, "firmware");
			json_object_set_string_member(record, "firmware_error", id_error->message);
		}
	}
	return record;
}

static gboolean
wf_backup_run_finish(WfBackupRun *run, JsonObject **record_out, GError **error)
{
	g_autofree gchar *sha256 = NULL;
	g_autofree gchar *record_path =
		g_build_filename(run->partial_dir, WF_BACKUP_RECORD_NAME, NULL);
	g_autofree gchar *resume_path =
		g_build_filename(run->partial_dir, WF_BACKUP_RESUME_NAME, NULL);
	g_autofree gchar *parent = g_path_get_dirname(run->final_dir);
	g_autofree gchar *text = NULL;
	g_autoptr(JsonObject) record = NULL;

	if (fsync(run->image_fd) != 0) {
		wf_error_convert_errno(error, errno, "sync flash.bin");
		return FALSE;
	}
	sha256 = wf_backup_sha256_fd(run->image_fd, run->flash_size, error);
	if (sha256 == NULL)
		return FALSE;
	record = wf_backup_run_build_record(run, sha256);
	text = wf_backup_json_to_string(record);
	if (!wf_backup_write_file_atomic(record_path, text, error))
		return FALSE;
	if (g_unlink(resume_path) != 0 && errno != ENOENT) {
		wf_error_convert_errno(error, errno, "remove resume.json");
		return FALSE;
	}
	if (!wf_backup_fsync_path(run->partial_dir, error))
		return FALSE;
	/* the moment the backup becomes complete */
	if (g_rename(run->partial_dir, run->final_dir) != 0) {
		g_autofree gchar *what =
			g_strdup_printf("rename %s to %s", run->partial_dir, run->final_dir);
		wf_error_convert_errno(error, errno, what);
		return FALSE;
	}
	if (!wf_backup_fsync_path(parent, error))
		return FALSE;
	*record_out = g_steal_pointer(&record);
	return TRUE;
}

static gchar *
wf_backup_normalize_dir(const gchar *dir)
{
	g_autofree gchar *canon = g_canonicalize_filename(dir, NULL);
	gsize len = strlen(canon);

	while (len > 1 && canon[len - 1] == '/')
		canon[--len] = '\0';
	if (g_str_has_suffix(canon, WF_BACKUP_PARTIAL_SUFFIX))
		canon[len - strlen(WF_BACKUP_PARTIAL_SUFFIX)] = '\0';
	return g_steal_pointer(&canon);
}

/**
 * wf_backup_create:
 * @brom: a handshaken boot ROM session
 * @info: what wf_device_info_identify() found; its flash size is what is read
 * @dir: the backup folder to create; must not exist
 * @flags: %WF_BACKUP_FLAG_RESUME to continue `DIR.partial`
 * @progress: (nullable): receives a "read" step with verified bytes
 * @cancellable: (nullable): a #GCancellable
 * @error: (out): return location
 *
 * Reads the whole flash twice through the boot ROM, verifies it and stores it.
 *
 * Returns: (transfer full): the complete backup, or %NULL
 */
WfBackup *
wf_backup_create(WfBrom *brom,
		 WfDeviceInfo *info,
		 const gchar *dir,
		 WfBackupFlags flags,
		 WfProgress *progress,
		 GCancellable *cancellable,
		 GError **error)
{
	g_autoptr(WfBackupRun) run = g_new0(WfBackupRun, 1);
	g_autoptr(JsonObject) record = NULL;
	WfBackup *self;

	g_return_val_if_fail(WF_IS_BROM(brom), NULL);
	g_return_val_if_fail(info != NULL, NULL);
	g_return_val_if_fail(dir != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	run->image_fd = -1;
	run->brom = brom;
	run->info = info;
	run->progress = progress;
	run->cancellable = cancellable;
	run->flash_size = wf_device_info_get_flash_size(info);
	if (run->flash_size == 0 || run->flash_size % 4 != 0 || run->flash_size > G_MAXUINT32) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_NOT_SUPPORTED,
			    "the flash size of this watch is not known; give it with --flash-size");
		return NULL;
	}
	run->final_dir = wf_backup_normalize_dir(dir);
	run->partial_dir = g_strconcat(run->final_dir, WF_BACKUP_PARTIAL_SUFFIX, NULL);
	run->n_windows =
		(guint)((run->flash_size + WF_BACKUP_WINDOW_SIZE - 1) / WF_BACKUP_WINDOW_SIZE);
	run->verified = g_new0(guint8, run->n_windows);
	run->buf_a = g_malloc(WF_BACKUP_WINDOW_SIZE);
	run->buf_b = g_malloc(WF_BACKUP_WINDOW_SIZE);
	run->started = g_date_time_new_now_utc();
	run->start_us = g_get_monotonic_time();

	if (!wf_backup_run_prepare_dir(run, flags, error))
		return NULL;
	if (progress != NULL) {
		wf_progress_add_step(progress, "read", 97, "Reading the flash twice");
		wf_progress_add_step(progress, "finish", 3, "Saving the backup");
		wf_progress_set_bytes(progress, run->bytes_verified, run->flash_size);
	}
	if (!wf_backup_run_prepare_watch(run, error))
		return NULL;
	if (!wf_backup_run_read_all(run, error))
		return NULL;
	if (progress != NULL)
		wf_progress_step_done(progress);
	if (!wf_backup_run_finish(run, &record, error))
		return NULL;
	if (progress != NULL)
		wf_progress_finish(progress);

	self = g_object_new(WF_TYPE_BACKUP, NULL);
	self->dir = g_strdup(run->final_dir);
	self->record = g_steal_pointer(&record);
	self->created = g_date_time_ref(run->started);
	return self;
}

/* ---- loading ------------------------------------------------------------------------------------
 */

static gboolean
wf_backup_check_record(WfBackup *self, GError **error)
{
	const gchar *required[] = {"sha256", "me_id", "jedec_id", "image"};

	if (json_object_get_int_member_with_default(self->record, "format", 0) !=
	    WF_BACKUP_FORMAT_VERSION) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s/backup.json has an unknown format version",
			    self->dir);
		return FALSE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(required); i++) {
		if (json_object_get_string_member_with_default(self->record, required[i], NULL) ==
		    NULL) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "%s/backup.json has no “%s”",
				    self->dir,
				    required[i]);
			return FALSE;
		}
	}
	if (json_object_get_int_member_with_default(self->record, "flash_size", 0) <= 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s/backup.json has no flash size",
			    self->dir);
		return FALSE;
	}
	return TRUE;
}

/**
 * wf_backup_load:
 * @dir: a backup folder
 * @error: (out): return location
 *
 * Reads backup.json; does not hash the image (see wf_backup_verify()).
 *
 * Returns: (transfer full): the backup, or %NULL
 */
WfBackup *
wf_backup_load(const gchar *dir, GError **error)
{
	g_autoptr(WfBackup) self = g_object_new(WF_TYPE_BACKUP, NULL);
	g_autofree gchar *record_path = NULL;
	const gchar *started;

	g_return_val_if_fail(dir != NULL, NULL);
	if (g_str_has_suffix(dir, WF_BACKUP_PARTIAL_SUFFIX) ||
	    g_str_has_suffix(dir, WF_BACKUP_PARTIAL_SUFFIX "/")) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s is an interrupted backup, not a complete one; continue it with "
			    "“backup --resume”",
			    dir);
		return NULL;
	}
	self->dir = g_canonicalize_filename(dir, NULL);
	record_path = g_build_filename(self->dir, WF_BACKUP_RECORD_NAME, NULL);
	if (!g_file_test(record_path, G_FILE_TEST_EXISTS)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_NOT_FOUND,
			    "%s is not a Wristflash backup (no backup.json)",
			    dir);
		return NULL;
	}
	self->record = wf_backup_load_json_object(record_path, error);
	if (self->record == NULL)
		return NULL;
	if (!wf_backup_check_record(self, error))
		return NULL;
	started = json_object_get_string_member_with_default(self->record, "started", NULL);
	if (started != NULL)
		self->created = g_date_time_new_from_iso8601(started, NULL);
	return g_steal_pointer(&self);
}

/**
 * wf_backup_verify:
 * @self: a #WfBackup
 * @cancellable: (nullable): a #GCancellable
 * @error: (out): return location
 *
 * Checks that flash.bin has the recorded size and SHA-256.
 */
gboolean
wf_backup_verify(WfBackup *self, GCancellable *cancellable, GError **error)
{
	g_autofree gchar *path = NULL;
	g_autofree gchar *sha256 = NULL;
	GStatBuf st;
	gint fd;

	g_return_val_if_fail(WF_IS_BACKUP(self), FALSE);
	path = wf_backup_get_image_path(self);
	fd = g_open(path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0) {
		g_autofree gchar *what = g_strdup_printf("open %s", path);
		wf_error_convert_errno(error, errno, what);
		return FALSE;
	}
	if (fstat(fd, &st) != 0 || (guint64)st.st_size != wf_backup_get_flash_size(self)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_VERIFY_FAILED,
			    "%s has the wrong size: the backup is damaged",
			    path);
		close(fd);
		return FALSE;
	}
	sha256 = wf_backup_sha256_fd(fd, (guint64)st.st_size, error);
	close(fd);
	if (sha256 == NULL)
		return FALSE;
	if (g_strcmp0(sha256, wf_backup_get_sha256(self)) != 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_VERIFY_FAILED,
			    "%s does not match its recorded SHA-256: the backup is damaged",
			    path);
		return FALSE;
	}
	return TRUE;
}

const gchar *
wf_backup_get_dir(WfBackup *self)
{
	g_return_val_if_fail(WF_IS_BACKUP(self), NULL);
	return self->dir;
}

gchar *
wf_backup_get_image_path(WfBackup *self)
{
	const gchar *image;

	g_return_val_if_fail(WF_IS_BACKUP(self), NULL);
	image = json_object_get_string_member_with_default(
		self->record, "image", WF_BACKUP_IMAGE_NAME);
	/* never follow a path out of the backup folder */
	if (strchr(image, '/') != NULL)
		image = WF_BACKUP_IMAGE_NAME;
	return g_build_filename(self->dir, image, NULL);
}

const gchar *
wf_backup_get_sha256(WfBackup *self)
{
	g_return_val_if_fail(WF_IS_BACKUP(self), NULL);
	return json_object_get_string_member(self->record, "sha256");
}

guint64
wf_backup_get_flash_size(WfBackup *self)
{
	g_return_val_if_fail(WF_IS_BACKUP(self), 0);
	return (guint64)json_object_get_int_member(self->record, "flash_size");
}

const gchar *
wf_backup_get_me_id(WfBackup *self)
{
	g_return_val_if_fail(WF_IS_BACKUP(self), NULL);
	return json_object_get_string_member(self->record, "me_id");
}

const gchar *
wf_backup_get_jedec_id(WfBackup *self)
{
	g_return_val_if_fail(WF_IS_BACKUP(self), NULL);
	return json_object_get_string_member(self->record, "jedec_id");
}

const gchar *
wf_backup_get_chip(WfBackup *self)
{
	g_return_val_if_fail(WF_IS_BACKUP(self), NULL);
	return json_object_get_string_member_with_default(self->record, "chip", NULL);
}

GDateTime *
wf_backup_get_created(WfBackup *self)
{
	g_return_val_if_fail(WF_IS_BACKUP(self), NULL);
	return self->created;
}

JsonObject *
wf_backup_get_record(WfBackup *self)
{
	g_return_val_if_fail(WF_IS_BACKUP(self), NULL);
	return self->record;
}
