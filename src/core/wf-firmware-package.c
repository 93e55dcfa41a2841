/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-firmware-package.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>
#include <string.h>

#include "wf-dump.h"
#include "wf-error.h"
#include "wf-lzma.h"
#include "wf-scatter.h"

/* the flash window the CPU sees (remap 3), as wf-flash-plan.c places files */
#define WF_PACKAGE_WINDOW_BASE 0x10000000u
#define WF_PACKAGE_WINDOW_END  0x18000000u
/* the header block sits in front of the first bootloader (§2.2) */
#define WF_PACKAGE_HEADER_BLOCK_END 0x800u

/* one file of the package, read or not yet */
typedef struct {
	gchar *path;	/* normalised, '/'-separated */
	gchar *key;	/* case-folded path, for lookups */
	gchar *fs_path; /* folder packages: the file on disk */
	guint64 size;	/* G_MAXUINT64 when the archive does not say */
	GBytes *data;
	gboolean wanted;
} WfPackageEntry;

typedef enum {
	WF_PACKAGE_CONTAINER_NONE,
	WF_PACKAGE_CONTAINER_FOLDER,
	WF_PACKAGE_CONTAINER_ARCHIVE,
} WfPackageContainer;

struct _WfFirmwarePackage {
	GObject parent_instance;
	gchar *cfg_name; /* the caller's choice, or NULL */
	WfPackageContainer container;
	gchar *archive_path;   /* archive on disk */
	GBytes *archive_bytes; /* archive in memory */
	gchar *archive_format;
	GPtrArray *entries; /* (element-type WfPackageEntry) */
	GHashTable *by_key; /* key → WfPackageEntry */
	guint64 bytes_kept;
	gchar *cfg_path;
	WfCfg *cfg;
	GPtrArray *other_cfgs; /* (element-type utf8) */
	GPtrArray *files;      /* (element-type WfFirmwarePackageFile), sorted by offset */
	GPtrArray *skipped;    /* (element-type utf8) "name: reason" */
	GPtrArray *warnings;   /* (element-type utf8) */
	WfRomIdentity *rom_identity;
	WfFirmwareIdentity *identity;
	guint32 flash_size; /* from the manifest */
	gchar *header_block;
};

G_DEFINE_FINAL_TYPE(WfFirmwarePackage, wf_firmware_package, G_TYPE_OBJECT)

static void
wf_package_entry_free(gpointer data)
{
	WfPackageEntry *entry = data;
	g_free(entry->path);
	g_free(entry->key);
	g_free(entry->fs_path);
	if (entry->data != NULL)
		g_bytes_unref(entry->data);
	g_free(entry);
}

static void
wf_firmware_package_file_free(gpointer data)
{
	WfFirmwarePackageFile *file = data;
	g_free(file->name);
	g_free(file->path);
	g_free(file->sha256);
	if (file->data != NULL)
		g_bytes_unref(file->data);
	g_free(file);
}

static void
wf_firmware_package_reset(WfFirmwarePackage *self)
{
	self->container = WF_PACKAGE_CONTAINER_NONE;
	g_clear_pointer(&self->archive_path, g_free);
	g_clear_pointer(&self->archive_bytes, g_bytes_unref);
	g_clear_pointer(&self->archive_format, g_free);
	g_hash_table_remove_all(self->by_key);
	g_ptr_array_set_size(self->entries, 0);
	self->bytes_kept = 0;
	g_clear_pointer(&self->cfg_path, g_free);
	g_clear_object(&self->cfg);
	g_ptr_array_set_size(self->other_cfgs, 0);
	g_ptr_array_set_size(self->files, 0);
	g_ptr_array_set_size(self->skipped, 0);
	g_ptr_array_set_size(self->warnings, 0);
	g_clear_object(&self->rom_identity);
	g_clear_object(&self->identity);
	self->flash_size = 0;
	g_clear_pointer(&self->header_block, g_free);
}

static void
wf_firmware_package_finalize(GObject *object)
{
	WfFirmwarePackage *self = WF_FIRMWARE_PACKAGE(object);

	wf_firmware_package_reset(self);
	g_free(self->cfg_name);
	g_hash_table_unref(self->by_key);
	g_ptr_array_unref(self->entries);
	g_ptr_array_unref(self->other_cfgs);
	g_ptr_array_unref(self->files);
	g_ptr_array_unref(self->skipped);
	g_ptr_array_unref(self->warnings);
	G_OBJECT_CLASS(wf_firmware_package_parent_class)->finalize(object);
}

static void
wf_firmware_package_class_init(WfFirmwarePackageClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_firmware_package_finalize;
}

static void
wf_firmware_package_init(WfFirmwarePackage *self)
{
	self->entries = g_ptr_array_new_with_free_func(wf_package_entry_free);
	self->by_key = g_hash_table_new(g_str_hash, g_str_equal);
	self->other_cfgs = g_ptr_array_new_with_free_func(g_free);
	self->files = g_ptr_array_new_with_free_func(wf_firmware_package_file_free);
	self->skipped = g_ptr_array_new_with_free_func(g_free);
	self->warnings = g_ptr_array_new_with_free_func(g_free);
}

WfFirmwarePackage *
wf_firmware_package_new(void)
{
	return g_object_new(WF_TYPE_FIRMWARE_PACKAGE, NULL);
}

G_GNUC_PRINTF(2, 3)
static void
wf_firmware_package_warn(WfFirmwarePackage *self, const gchar *format, ...)
{
	va_list args;
	va_start(args, format);
	g_ptr_array_add(self->warnings, g_strdup_vprintf(format, args));
	va_end(args);
}

/**
 * wf_firmware_package_is_archive:
 * @buf: the first bytes of a file
 * @bufsz: how many
 *
 * Returns: %TRUE for the magic of a zip, 7z, rar or tar archive
 */
gboolean
wf_firmware_package_is_archive(const guint8 *buf, gsize bufsz)
{
	g_return_val_if_fail(buf != NULL || bufsz == 0, FALSE);
	if (bufsz >= 4 && memcmp(buf, "PK\x03\x04", 4) == 0)
		return TRUE;
	if (bufsz >= 4 && memcmp(buf, "PK\x05\x06", 4) == 0) /* empty zip */
		return TRUE;
	if (bufsz >= 6 && memcmp(buf, "7z\xBC\xAF\x27\x1C", 6) == 0)
		return TRUE;
	if (bufsz >= 6 && memcmp(buf, "Rar!\x1A\x07", 6) == 0)
		return TRUE;
	if (bufsz >= 262 && memcmp(buf + 257, "ustar", 5) == 0)
		return TRUE;
	return FALSE;
}

/**
 * wf_firmware_package_platform_matches:
 * @a: a platform name, e.g. "MT6260A" from a cfg
 * @b: another, e.g. "MT6260" from a bin name
 *
 * Chip letters are variants of one platform (MT6260A is an MT6260): only the
 * "MTxxxx" part is compared, case-insensitively.
 *
 * Returns: %TRUE if both name the same platform
 */
gboolean
wf_firmware_package_platform_matches(const gchar *a, const gchar *b)
{
	gsize la, lb;

	g_return_val_if_fail(a != NULL && b != NULL, FALSE);
	la = strlen(a);
	lb = strlen(b);
	if (la >= 6 && lb >= 6 && g_ascii_strncasecmp(a, "MT", 2) == 0 &&
	    g_ascii_strncasecmp(b, "MT", 2) == 0)
		return g_ascii_strncasecmp(a, b, 6) == 0;
	return g_ascii_strcasecmp(a, b) == 0;
}

/* ---- names ----------------------------------------------------------------------------------- */

/*
 * '\' or '/', "." and empty components dropped, ".." resolved; %NULL when
 * the path leaves the package root. Nothing is ever extracted to disk, but
 * a name that climbs out of the package cannot name one of its files.
 */
static gchar *
wf_package_normalise_path(const gchar *base, const gchar *name)
{
	g_autoptr(GPtrArray) parts = g_ptr_array_new();
	g_autofree gchar *joined = NULL;
	g_auto(GStrv) split = NULL;

	joined = base != NULL && base[0] != '\0' ? g_strdup_printf("%s/%s", base, name)
						 : g_strdup(name);
	g_strdelimit(joined, "\\", '/');
	split = g_strsplit(joined, "/", -1);
	for (guint i = 0; split[i] != NULL; i++) {
		const gchar *part = split[i];
		if (part[0] == '\0' || g_strcmp0(part, ".") == 0)
			continue;
		if (g_strcmp0(part, "..") == 0) {
			if (parts->len == 0)
				return NULL;
			g_ptr_array_remove_index(parts, parts->len - 1);
			continue;
		}
		g_ptr_array_add(parts, (gpointer)part);
	}
	if (parts->len == 0)
		return NULL;
	g_ptr_array_add(parts, NULL);
	return g_strjoinv("/", (gchar **)parts->pdata);
}

static gchar *
wf_package_key(const gchar *path)
{
	g_autofree gchar *valid = g_utf8_make_valid(path, -1);
	return g_utf8_casefold(valid, -1);
}

static gboolean
wf_package_add_entry(WfFirmwarePackage *self,
		     const gchar *raw_path,
		     const gchar *fs_path,
		     guint64 size,
		     GError **error)
{
	WfPackageEntry *entry;
	g_autofree gchar *path = wf_package_normalise_path(NULL, raw_path);

	if (path == NULL) {
		wf_firmware_package_warn(
			self, "‘%s’: a path outside the package, ignored", raw_path);
		return TRUE;
	}
	if (self->entries->len >= WF_FIRMWARE_PACKAGE_MAX_ENTRIES) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "the package holds more than %u files",
			    (guint)WF_FIRMWARE_PACKAGE_MAX_ENTRIES);
		return FALSE;
	}
	entry = g_new0(WfPackageEntry, 1);
	entry->key = wf_package_key(path);
	entry->path = g_steal_pointer(&path);
	entry->fs_path = g_strdup(fs_path);
	entry->size = size;
	if (g_hash_table_contains(self->by_key, entry->key)) {
		/* "ROM" and "rom" in one zip: the names cannot be told apart */
		wf_firmware_package_warn(self,
					 "‘%s’ appears twice (names are compared ignoring case), "
					 "the first one is used",
					 entry->path);
		wf_package_entry_free(entry);
		return TRUE;
	}
	g_ptr_array_add(self->entries, entry);
	g_hash_table_insert(self->by_key, entry->key, entry);
	return TRUE;
}

static WfPackageEntry *
wf_package_lookup(WfFirmwarePackage *self, const gchar *path)
{
	g_autofree gchar *key = wf_package_key(path);
	return g_hash_table_lookup(self->by_key, key);
}

static gboolean
wf_package_has_suffix(const WfPackageEntry *entry, const gchar *suffix)
{
	return g_str_has_suffix(entry->key, suffix);
}

/* ---- folders --------------------------------------------------------------------------------- */

static gboolean
wf_package_walk_folder(
	WfFirmwarePackage *self, const gchar *root, const gchar *rel, guint depth, GError **error)
{
	g_autofree gchar *dirname =
		rel != NULL ? g_build_filename(root, rel, NULL) : g_strdup(root);
	g_autoptr(GDir) dir = NULL;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error_local = NULL;
	const gchar *name;

	dir = g_dir_open(dirname, 0, &error_local);
	if (dir == NULL) {
		if (depth == 0) {
			g_set_error(error, WF_ERROR, WF_ERROR_READ, "%s", error_local->message);
			return FALSE;
		}
		wf_firmware_package_warn(self, "%s", error_local->message);
		return TRUE;
	}
	while ((name = g_dir_read_name(dir)) != NULL)
		g_ptr_array_add(names, g_strdup(name));
	/* a stable order, whatever the file system returns */
	g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
	for (guint i = 0; i < names->len; i++) {
		const gchar *child = *(const gchar **)&g_ptr_array_index(names, i);
		g_autofree gchar *child_rel =
			rel != NULL ? g_build_filename(rel, child, NULL) : g_strdup(child);
		g_autofree gchar *child_path = g_build_filename(root, child_rel, NULL);
		GStatBuf st;

		/* symlinks are not followed: a package is what is in the folder */
		if (g_lstat(child_path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (depth + 1 >= WF_FIRMWARE_PACKAGE_MAX_DEPTH) {
				wf_firmware_package_warn(
					self, "%s: folders nested too deep, not read", child_rel);
				continue;
			}
			if (!wf_package_walk_folder(self, root, child_rel, depth + 1, error))
				return FALSE;
		} else if (S_ISREG(st.st_mode)) {
			if (!wf_package_add_entry(
				    self, child_rel, child_path, (guint64)st.st_size, error))
				return FALSE;
		}
	}
	return TRUE;
}

static GBytes *
wf_package_read_fs_entry(WfPackageEntry *entry, gsize max, GError **error)
{
	g_autoptr(GMappedFile) mapped = NULL;
	g_autoptr(GError) error_local = NULL;

	if (entry->size > max) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s is %" G_GUINT64_FORMAT " bytes, more than any file of a watch "
			    "firmware (%" G_GSIZE_FORMAT ")",
			    entry->path,
			    entry->size,
			    max);
		return NULL;
	}
	mapped = g_mapped_file_new(entry->fs_path, FALSE, &error_local);
	if (mapped == NULL) {
		g_set_error(error, WF_ERROR, WF_ERROR_READ, "%s", error_local->message);
		return NULL;
	}
	/* copy: the file may change under a mapping */
	return g_bytes_new(g_mapped_file_get_contents(mapped), g_mapped_file_get_length(mapped));
}

/* ---- archives -------------------------------------------------------------------------------- */

static struct archive *
wf_package_archive_open(WfFirmwarePackage *self, GError **error)
{
	struct archive *a = archive_read_new();
	int rc;

	archive_read_support_format_zip(a);
	archive_read_support_format_7zip(a);
	archive_read_support_format_rar(a);
	archive_read_support_format_rar5(a);
	archive_read_support_format_tar(a);
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_filter_xz(a);
	if (self->archive_bytes != NULL) {
		gsize sz = 0;
		const guint8 *buf = g_bytes_get_data(self->archive_bytes, &sz);
		rc = archive_read_open_memory(a, buf, sz);
	} else {
		rc = archive_read_open_filename(a, self->archive_path, 64 * 1024);
	}
	if (rc != ARCHIVE_OK) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "not an archive Wristflash can read: %s",
			    archive_error_string(a) != NULL ? archive_error_string(a)
							    : "unknown format");
		archive_read_free(a);
		return NULL;
	}
	return a;
}

static void
wf_package_archive_error(struct archive *a, const gchar *what, GError **error)
{
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_INVALID_FILE,
		    "%s: %s",
		    what,
		    archive_error_string(a) != NULL ? archive_error_string(a) : "damaged archive");
}

static GBytes *
wf_package_archive_read_data(struct archive *a, const gchar *path, gsize max, GError **error)
{
	g_autoptr(GByteArray) buf = g_byte_array_new();
	guint8 chunk[64 * 1024];

	for (;;) {
		la_ssize_t n = archive_read_data(a, chunk, sizeof(chunk));
		if (n == 0)
			break;
		if (n < 0) {
			wf_package_archive_error(a, path, error);
			return NULL;
		}
		if (buf->len + (gsize)n > max) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "%s is more than %" G_GSIZE_FORMAT " bytes, more than any "
				    "file of a watch firmware",
				    path,
				    max);
			return NULL;
		}
		g_byte_array_append(buf, chunk, (guint)n);
	}
	return g_byte_array_free_to_bytes(g_steal_pointer(&buf));
}

/* the name of an entry in UTF-8 where the archive knows it */
static const gchar *
wf_package_archive_entry_name(struct archive_entry *ae)
{
	const gchar *name = archive_entry_pathname_utf8(ae);
	return name != NULL ? name : archive_entry_pathname(ae);
}

/*
 * Pass 1 lists the entries; pass 2 (wanted != FALSE) reads those marked
 * wanted. Archives are streams, so each pass reads the archive once.
 */
static gboolean
wf_package_archive_pass(WfFirmwarePackage *self, gboolean read_wanted, GError **error)
{
	struct archive *a = wf_package_archive_open(self, error);
	struct archive_entry *ae = NULL;
	gboolean ok = TRUE;
	int rc;

	if (a == NULL)
		return FALSE;
	while ((rc = archive_read_next_header(a, &ae)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
		const gchar *name = wf_package_archive_entry_name(ae);
		g_autofree gchar *path = NULL;
		WfPackageEntry *entry;

		if (self->archive_format == NULL && archive_format_name(a) != NULL)
			self->archive_format = g_strdup(archive_format_name(a));
		if (name == NULL || archive_entry_filetype(ae) != AE_IFREG)
			continue;
		if (!read_wanted) {
			if (archive_entry_is_encrypted(ae)) {
				g_set_error(error,
					    WF_ERROR,
					    WF_ERROR_NOT_SUPPORTED,
					    "%s is password-protected: unpack the archive first",
					    name);
				ok = FALSE;
				break;
			}
			if (!wf_package_add_entry(self,
						  name,
						  NULL,
						  archive_entry_size_is_set(ae)
							  ? (guint64)archive_entry_size(ae)
							  : G_MAXUINT64,
						  error)) {
				ok = FALSE;
				break;
			}
			continue;
		}
		path = wf_package_normalise_path(NULL, name);
		entry = path != NULL ? wf_package_lookup(self, path) : NULL;
		if (entry == NULL || !entry->wanted || entry->data != NULL ||
		    g_strcmp0(entry->path, path) != 0)
			continue;
		entry->data = wf_package_archive_read_data(
			a,
			entry->path,
			entry->size != G_MAXUINT64
				? MIN(entry->size, (guint64)WF_FIRMWARE_PACKAGE_MAX_FILE_SIZE)
				: WF_FIRMWARE_PACKAGE_MAX_FILE_SIZE,
			error);
		if (entry->data == NULL) {
			ok = FALSE;
			break;
		}
	}
	if (ok && rc != ARCHIVE_EOF && rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
		wf_package_archive_error(a, "reading the archive", error);
		ok = FALSE;
	}
	archive_read_free(a);
	return ok;
}

/* ---- reading entries ------------------------------------------------------------------------- */

static gboolean
wf_package_account(WfFirmwarePackage *self, WfPackageEntry *entry, GError **error)
{
	self->bytes_kept += g_bytes_get_size(entry->data);
	if (self->bytes_kept > WF_FIRMWARE_PACKAGE_MAX_TOTAL_SIZE) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "the package's files add up to more than %u MiB, more than any "
			    "watch firmware",
			    (guint)(WF_FIRMWARE_PACKAGE_MAX_TOTAL_SIZE / (1024 * 1024)));
		return FALSE;
	}
	return TRUE;
}

/* reads every entry marked wanted that has no data yet */
static gboolean
wf_package_read_wanted(WfFirmwarePackage *self, GError **error)
{
	gboolean any = FALSE;

	for (guint i = 0; i < self->entries->len; i++) {
		WfPackageEntry *entry = g_ptr_array_index(self->entries, i);
		if (entry->wanted && entry->data == NULL)
			any = TRUE;
	}
	if (!any)
		return TRUE;
	if (self->container == WF_PACKAGE_CONTAINER_ARCHIVE) {
		if (!wf_package_archive_pass(self, TRUE, error))
			return FALSE;
	} else {
		for (guint i = 0; i < self->entries->len; i++) {
			WfPackageEntry *entry = g_ptr_array_index(self->entries, i);
			if (!entry->wanted || entry->data != NULL)
				continue;
			entry->data = wf_package_read_fs_entry(
				entry, WF_FIRMWARE_PACKAGE_MAX_FILE_SIZE, error);
			if (entry->data == NULL)
				return FALSE;
		}
	}
	for (guint i = 0; i < self->entries->len; i++) {
		WfPackageEntry *entry = g_ptr_array_index(self->entries, i);
		if (!entry->wanted)
			continue;
		entry->wanted = FALSE;
		if (entry->data == NULL) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_READ,
				    "%s could not be read from the archive",
				    entry->path);
			return FALSE;
		}
		if (!wf_package_account(self, entry, error))
			return FALSE;
	}
	return TRUE;
}

/* ---- choosing the cfg ------------------------------------------------------------------------ */

static gchar *
wf_package_dirname(const gchar *path)
{
	const gchar *slash = strrchr(path, '/');
	return slash != NULL ? g_strndup(path, slash - path) : g_strdup("");
}

static const gchar *
wf_package_basename(const gchar *path)
{
	const gchar *slash = strrchr(path, '/');
	return slash != NULL ? slash + 1 : path;
}

/* the cfg's boot and main region files, as they would resolve */
static guint
wf_package_cfg_missing(WfFirmwarePackage *self, WfCfg *cfg, const gchar *cfg_dir, guint *n_files)
{
	const WfCfgRegion regions[] = {WF_CFG_REGION_BOOT, WF_CFG_REGION_MAIN};
	guint missing = 0;

	*n_files = 0;
	for (guint r = 0; r < G_N_ELEMENTS(regions); r++) {
		GPtrArray *names = wf_cfg_get_files(cfg, regions[r]);
		for (guint i = 0; names != NULL && i < names->len; i++) {
			g_autofree gchar *path =
				wf_package_normalise_path(cfg_dir, g_ptr_array_index(names, i));
			(*n_files)++;
			if (path == NULL || wf_package_lookup(self, path) == NULL)
				missing++;
		}
	}
	return missing;
}

typedef struct {
	WfPackageEntry *entry;
	WfCfg *cfg;
	guint missing;
	guint n_files;
} WfPackageCfgCandidate;

static void
wf_package_cfg_candidate_clear(gpointer data)
{
	WfPackageCfgCandidate *c = data;
	g_clear_object(&c->cfg);
}

/* complete cfgs first, then the one that names most files, then by path */
static gint
wf_package_cfg_candidate_cmp(gconstpointer a, gconstpointer b)
{
	const WfPackageCfgCandidate *ca = a;
	const WfPackageCfgCandidate *cb = b;

	if ((ca->missing == 0) != (cb->missing == 0))
		return ca->missing == 0 ? -1 : 1;
	if (ca->n_files != cb->n_files)
		return ca->n_files > cb->n_files ? -1 : 1;
	return g_strcmp0(ca->entry->path, cb->entry->path);
}

static gboolean
wf_package_explain_no_cfg(WfFirmwarePackage *self, GError **error)
{
	/* no cfg: say what the package holds instead, if it is a config at all */
	for (guint i = 0; i < self->entries->len; i++) {
		WfPackageEntry *entry = g_ptr_array_index(self->entries, i);
		if (!wf_package_has_suffix(entry, ".txt") || entry->data == NULL)
			continue;
		switch (wf_config_file_detect(entry->data)) {
		case WF_CONFIG_FILE_ANDROID_SCATTER:
			wf_scatter_set_android_error(error);
			g_prefix_error(error, "%s: ", entry->path);
			return FALSE;
		case WF_CONFIG_FILE_SCATTER:
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_NOT_SUPPORTED,
				    "the package has no .cfg, only the linker scatter file %s: "
				    "that is a build artefact; SP Flash Tool 5.x and Wristflash "
				    "need the .cfg that MediaTek's cfgGen.pl writes next to the "
				    "binaries",
				    entry->path);
			return FALSE;
		default:
			break;
		}
	}
	g_set_error_literal(error,
			    WF_ERROR,
			    WF_ERROR_NOT_FOUND,
			    "the package has no .cfg file (the SP Flash Tool config that lists "
			    "the binaries)");
	return FALSE;
}

static gboolean
wf_package_choose_cfg(WfFirmwarePackage *self, GError **error)
{
	g_autoptr(GArray) candidates = g_array_new(FALSE, TRUE, sizeof(WfPackageCfgCandidate));
	g_autoptr(GError) first_error = NULL;
	WfPackageCfgCandidate *chosen = NULL;

	g_array_set_clear_func(candidates, wf_package_cfg_candidate_clear);
	/* the small text files are read first: cfgs, scatter files, the manifest */
	for (guint i = 0; i < self->entries->len; i++) {
		WfPackageEntry *entry = g_ptr_array_index(self->entries, i);
		if ((wf_package_has_suffix(entry, ".cfg") || wf_package_has_suffix(entry, ".txt") ||
		     g_strcmp0(wf_package_basename(entry->key), WF_DUMP_MANIFEST_NAME) == 0) &&
		    (entry->size == G_MAXUINT64 ||
		     entry->size <= WF_FIRMWARE_PACKAGE_MAX_TEXT_SIZE))
			entry->wanted = TRUE;
	}
	if (!wf_package_read_wanted(self, error))
		return FALSE;

	for (guint i = 0; i < self->entries->len; i++) {
		WfPackageEntry *entry = g_ptr_array_index(self->entries, i);
		g_autoptr(GError) error_local = NULL;
		g_autofree gchar *dir = NULL;
		WfPackageCfgCandidate c = {0};

		if (!wf_package_has_suffix(entry, ".cfg") || entry->data == NULL)
			continue;
		if (self->cfg_name != NULL) {
			g_autofree gchar *want = wf_package_key(self->cfg_name);
			if (g_strcmp0(entry->key, want) != 0 &&
			    g_strcmp0(wf_package_basename(entry->key), want) != 0)
				continue;
		}
		c.cfg = wf_cfg_new_from_bytes(entry->data, &error_local);
		if (c.cfg == NULL) {
			if (wf_config_file_detect(entry->data) == WF_CONFIG_FILE_ANDROID_SCATTER) {
				wf_scatter_set_android_error(error);
				g_prefix_error(error, "%s: ", entry->path);
				return FALSE;
			}
			g_prefix_error(&error_local, "%s: ", entry->path);
			wf_firmware_package_warn(self, "%s", error_local->message);
			if (first_error == NULL)
				first_error = g_steal_pointer(&error_local);
			continue;
		}
		c.entry = entry;
		dir = wf_package_dirname(entry->path);
		c.missing = wf_package_cfg_missing(self, c.cfg, dir, &c.n_files);
		g_array_append_val(candidates, c);
	}
	if (candidates->len == 0) {
		if (first_error != NULL) {
			g_propagate_error(error, g_steal_pointer(&first_error));
			return FALSE;
		}
		if (self->cfg_name != NULL) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_NOT_FOUND,
				    "the package has no cfg called %s",
				    self->cfg_name);
			return FALSE;
		}
		return wf_package_explain_no_cfg(self, error);
	}
	g_array_sort(candidates, wf_package_cfg_candidate_cmp);
	chosen = &g_array_index(candidates, WfPackageCfgCandidate, 0);
	self->cfg = g_steal_pointer(&chosen->cfg);
	self->cfg_path = g_strdup(chosen->entry->path);
	for (guint i = 1; i < candidates->len; i++) {
		WfPackageCfgCandidate *c = &g_array_index(candidates, WfPackageCfgCandidate, i);
		g_ptr_array_add(self->other_cfgs, g_strdup(c->entry->path));
	}
	if (candidates->len > 1)
		wf_firmware_package_warn(self,
					 "the package has %u cfg files; using %s",
					 candidates->len,
					 self->cfg_path);
	return TRUE;
}

/* ---- files ----------------------------------------------------------------------------------- */

/* FILE_INFO load address → flash offset, exactly as wf-flash-plan.c does */
static gboolean
wf_package_file_offset(WfFirmwarePackageFile *file, GError **error)
{
	guint32 load = file->file_info.load_addr;

	if (load <= WF_FLASH_PLAN_ADDR_MASK ||
	    (load >= WF_PACKAGE_WINDOW_BASE && load < WF_PACKAGE_WINDOW_END)) {
		file->offset = load & WF_FLASH_PLAN_ADDR_MASK;
		return TRUE;
	}
	if (file->file_info.file_type == WF_GFH_FILE_ARM_BL) {
		file->offset = WF_FLASH_PLAN_BOOTLOADER_OFFSET;
		return TRUE;
	}
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_INVALID_FILE,
		    "%s: load address 0x%08X is not in the flash",
		    file->name,
		    load);
	return FALSE;
}

static void
wf_package_file_set_length(WfFirmwarePackageFile *file, guint32 length)
{
	g_autoptr(GBytes) part = g_bytes_new_from_bytes(file->data, 0, length);
	file->length = length;
	g_free(file->sha256);
	file->sha256 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, part);
}

static WfFirmwarePackageFile *
wf_package_make_gfh_file(WfFirmwarePackage *self,
			 const gchar *name,
			 WfPackageEntry *entry,
			 WfCfgRegion region,
			 GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(WfGfh) gfh = wf_gfh_new_from_bytes(entry->data, 0, &error_local);
	WfFirmwarePackageFile *file;
	const WfGfhFileInfo *fi;
	gsize size = g_bytes_get_size(entry->data);

	if (gfh == NULL) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s is not a MediaTek binary with a GFH header: %s",
			    entry->path,
			    error_local->message);
		return NULL;
	}
	fi = wf_gfh_get_file_info(gfh);
	if (fi->file_len == 0 || fi->file_len < fi->content_offset) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s: FILE_INFO says the file is 0x%x bytes, less than its 0x%x-byte "
			    "header",
			    entry->path,
			    fi->file_len,
			    fi->content_offset);
		return NULL;
	}
	if (fi->file_len > size) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s is %" G_GSIZE_FORMAT " bytes but its FILE_INFO says %u: the file "
			    "is truncated",
			    entry->path,
			    size,
			    fi->file_len);
		return NULL;
	}
	if (fi->max_size != 0xFFFFFFFF && fi->file_len > fi->max_size) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "%s is 0x%x bytes, more than the 0x%x bytes its region may hold "
			    "(FILE_INFO max_size)",
			    entry->path,
			    fi->file_len,
			    fi->max_size);
		return NULL;
	}
	if (size > fi->file_len)
		wf_firmware_package_warn(self,
					 "%s: %" G_GSIZE_FORMAT " bytes after the 0x%x bytes its "
					 "FILE_INFO counts are not written",
					 entry->path,
					 size - fi->file_len,
					 fi->file_len);
	file = g_new0(WfFirmwarePackageFile, 1);
	file->name = g_strdup(name);
	file->path = g_strdup(entry->path);
	file->region = region;
	file->role = WF_FIRMWARE_PACKAGE_ROLE_GFH;
	file->data = g_bytes_ref(entry->data);
	file->has_file_info = TRUE;
	file->file_info = *fi;
	if (!wf_package_file_offset(file, error)) {
		wf_firmware_package_file_free(file);
		return NULL;
	}
	file->source_offset = file->offset;
	if (fi->file_type == WF_GFH_FILE_ARM_BL || fi->file_type == WF_GFH_FILE_ARM_EXT_BL)
		file->kind = WF_FLASH_REGION_KIND_BOOTLOADER;
	else if (fi->file_type == WF_GFH_FILE_FILE_SYSTEM)
		file->kind = WF_FLASH_REGION_KIND_FS_TAIL;
	else
		file->kind = WF_FLASH_REGION_KIND_MAIN;
	if (region == WF_CFG_REGION_BOOT && file->kind != WF_FLASH_REGION_KIND_BOOTLOADER)
		wf_firmware_package_warn(self,
					 "%s is in boot_region but is a %s, not a bootloader",
					 name,
					 wf_gfh_file_type_to_string(fi->file_type) != NULL
						 ? wf_gfh_file_type_to_string(fi->file_type)
						 : "file of unknown type");
	if ((guint64)file->offset + fi->file_len > G_MAXUINT32) {
		g_set_error(
			error, WF_ERROR, WF_ERROR_INVALID_FILE, "%s does not fit any flash", name);
		wf_firmware_package_file_free(file);
		return NULL;
	}
	wf_package_file_set_length(file, fi->file_len);
	return file;
}

static gboolean
wf_package_load_cfg_files(WfFirmwarePackage *self, GError **error)
{
	const WfCfgRegion placed[] = {WF_CFG_REGION_BOOT, WF_CFG_REGION_MAIN};
	const WfCfgRegion skipped[] = {
		WF_CFG_REGION_CONTROL_BLOCK,
		WF_CFG_REGION_GPS_MODULE,
		WF_CFG_REGION_FILE_SYSTEM,
	};
	g_autofree gchar *cfg_dir = wf_package_dirname(self->cfg_path);
	g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) wanted = g_ptr_array_new();
	g_autoptr(GPtrArray) wanted_names = g_ptr_array_new();
	g_autoptr(GArray) wanted_regions = g_array_new(FALSE, FALSE, sizeof(WfCfgRegion));

	for (guint r = 0; r < G_N_ELEMENTS(placed); r++) {
		GPtrArray *names = wf_cfg_get_files(self->cfg, placed[r]);
		for (guint i = 0; names != NULL && i < names->len; i++) {
			const gchar *name = g_ptr_array_index(names, i);
			g_autofree gchar *path = wf_package_normalise_path(cfg_dir, name);
			WfPackageEntry *entry = path != NULL ? wf_package_lookup(self, path) : NULL;
			if (path == NULL) {
				g_set_error(error,
					    WF_ERROR,
					    WF_ERROR_INVALID_DATA,
					    "the cfg names ‘%s’, a path outside the package",
					    name);
				return FALSE;
			}
			if (entry == NULL) {
				g_ptr_array_add(missing, g_strdup(name));
				continue;
			}
			entry->wanted = TRUE;
			g_ptr_array_add(wanted, entry);
			g_ptr_array_add(wanted_names, (gpointer)name);
			g_array_append_val(wanted_regions, placed[r]);
		}
	}
	if (missing->len > 0) {
		g_autofree gchar *list = NULL;
		g_ptr_array_add(missing, NULL);
		list = g_strjoinv(", ", (gchar **)missing->pdata);
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_NOT_FOUND,
			    "%s lists %s but the package does not have %s",
			    self->cfg_path,
			    list,
			    missing->len > 2 ? "them" : "it");
		return FALSE;
	}
	for (guint r = 0; r < G_N_ELEMENTS(skipped); r++) {
		GPtrArray *names = wf_cfg_get_files(self->cfg, skipped[r]);
		for (guint i = 0; names != NULL && i < names->len; i++)
			g_ptr_array_add(
				self->skipped,
				g_strdup_printf("%s: in %s, which Wristflash does not write",
						(const gchar *)g_ptr_array_index(names, i),
						wf_cfg_region_to_string(skipped[r])));
	}
	if (!wf_package_read_wanted(self, error))
		return FALSE;
	for (guint i = 0; i < wanted->len; i++) {
		WfPackageEntry *entry = g_ptr_array_index(wanted, i);
		WfFirmwarePackageFile *file;

		/* one file named twice in a cfg is written once */
		for (guint j = 0; j < self->files->len; j++) {
			WfFirmwarePackageFile *other = g_ptr_array_index(self->files, j);
			if (g_strcmp0(other->path, entry->path) == 0) {
				g_set_error(error,
					    WF_ERROR,
					    WF_ERROR_INVALID_DATA,
					    "%s lists %s twice",
					    self->cfg_path,
					    entry->path);
				return FALSE;
			}
		}
		file = wf_package_make_gfh_file(self,
						g_ptr_array_index(wanted_names, i),
						entry,
						g_array_index(wanted_regions, WfCfgRegion, i),
						error);
		if (file == NULL)
			return FALSE;
		g_ptr_array_add(self->files, file);
	}
	return TRUE;
}

/* ---- the split manifest ---------------------------------------------------------------------- */

static gboolean
wf_package_manifest_role(const gchar *role, const gchar **out, WfFlashRegionKind *kind)
{
	if (g_strcmp0(role, WF_FIRMWARE_PACKAGE_ROLE_HEADER_BLOCK) == 0) {
		*out = WF_FIRMWARE_PACKAGE_ROLE_HEADER_BLOCK;
		*kind = WF_FLASH_REGION_KIND_BOOT_HEADER;
	} else if (g_strcmp0(role, WF_FIRMWARE_PACKAGE_ROLE_FS_TAIL) == 0) {
		*out = WF_FIRMWARE_PACKAGE_ROLE_FS_TAIL;
		*kind = WF_FLASH_REGION_KIND_FS_TAIL;
	} else if (g_strcmp0(role, WF_FIRMWARE_PACKAGE_ROLE_EXTRA) == 0) {
		*out = WF_FIRMWARE_PACKAGE_ROLE_EXTRA;
		*kind = WF_FLASH_REGION_KIND_MAIN;
	} else if (g_strcmp0(role, WF_FIRMWARE_PACKAGE_ROLE_GFH) == 0) {
		*out = WF_FIRMWARE_PACKAGE_ROLE_GFH;
		*kind = WF_FLASH_REGION_KIND_MAIN;
	} else {
		return FALSE;
	}
	return TRUE;
}

static gboolean
wf_package_manifest_u32(JsonObject *obj, const gchar *member, guint32 *value, GError **error)
{
	JsonNode *node = json_object_get_member(obj, member);
	gint64 v;

	if (node == NULL || json_node_get_value_type(node) != G_TYPE_INT64) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s: ‘%s’ must be a number",
			    WF_DUMP_MANIFEST_NAME,
			    member);
		return FALSE;
	}
	v = json_node_get_int(node);
	if (v < 0 || v > G_MAXUINT32) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s: ‘%s’ is out of range",
			    WF_DUMP_MANIFEST_NAME,
			    member);
		return FALSE;
	}
	*value = (guint32)v;
	return TRUE;
}

static const gchar *
wf_package_manifest_string(JsonObject *obj, const gchar *member)
{
	JsonNode *node = json_object_get_member(obj, member);
	if (node == NULL || json_node_get_value_type(node) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(node);
}

static WfFirmwarePackageFile *
wf_package_find_by_path(WfFirmwarePackage *self, const gchar *path)
{
	for (guint i = 0; i < self->files->len; i++) {
		WfFirmwarePackageFile *file = g_ptr_array_index(self->files, i);
		if (g_strcmp0(file->path, path) == 0)
			return file;
	}
	return NULL;
}

/* one manifest entry: a GFH file gets its source offset, a raw region is added */
static gboolean
wf_package_manifest_file(WfFirmwarePackage *self,
			 const gchar *cfg_dir,
			 JsonObject *obj,
			 GError **error)
{
	const gchar *name = wf_package_manifest_string(obj, "name");
	const gchar *role_str = wf_package_manifest_string(obj, "role");
	const gchar *sha256 = wf_package_manifest_string(obj, "sha256");
	g_autofree gchar *path = NULL;
	WfFirmwarePackageFile *file;
	WfPackageEntry *entry;
	WfFlashRegionKind kind = WF_FLASH_REGION_KIND_MAIN;
	const gchar *role = NULL;
	guint32 offset = 0, length = 0;

	if (name == NULL || role_str == NULL || !wf_package_manifest_role(role_str, &role, &kind)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s: every file needs a name and a role (gfh, header-block, fs-tail, "
			    "extra)",
			    WF_DUMP_MANIFEST_NAME);
		return FALSE;
	}
	if (!wf_package_manifest_u32(obj, "offset", &offset, error) ||
	    !wf_package_manifest_u32(obj, "length", &length, error))
		return FALSE;
	path = wf_package_normalise_path(cfg_dir, name);
	if (path == NULL) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "%s names ‘%s’, a path outside the package",
			    WF_DUMP_MANIFEST_NAME,
			    name);
		return FALSE;
	}
	if (g_strcmp0(role, WF_FIRMWARE_PACKAGE_ROLE_GFH) == 0) {
		file = wf_package_find_by_path(self, path);
		if (file == NULL) {
			wf_firmware_package_warn(self,
						 "%s lists %s, which the cfg does not",
						 WF_DUMP_MANIFEST_NAME,
						 name);
			return TRUE;
		}
		if (sha256 != NULL && g_strcmp0(sha256, file->sha256) != 0)
			wf_firmware_package_warn(self,
						 "%s differs from the file the split wrote: a "
						 "rebuild will not reproduce the source dump",
						 name);
		file->source_offset = offset;
		if (offset != file->offset)
			wf_firmware_package_warn(self,
						 "%s sat at 0x%x in the source dump; flashing puts "
						 "it at 0x%x",
						 name,
						 offset,
						 file->offset);
		return TRUE;
	}
	entry = wf_package_lookup(self, path);
	if (entry == NULL) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_NOT_FOUND,
			    "%s lists %s but the package does not have it",
			    WF_DUMP_MANIFEST_NAME,
			    name);
		return FALSE;
	}
	entry->wanted = TRUE;
	if (!wf_package_read_wanted(self, error))
		return FALSE;
	if (g_bytes_get_size(entry->data) != length || length == 0 ||
	    (guint64)offset + length > G_MAXUINT32) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s is %" G_GSIZE_FORMAT " bytes, but %s says %u",
			    entry->path,
			    g_bytes_get_size(entry->data),
			    WF_DUMP_MANIFEST_NAME,
			    length);
		return FALSE;
	}
	file = g_new0(WfFirmwarePackageFile, 1);
	file->name = g_strdup(name);
	file->path = g_strdup(entry->path);
	file->region = WF_CFG_REGION_LAST;
	file->role = role;
	file->kind = kind;
	file->data = g_bytes_ref(entry->data);
	file->offset = offset;
	file->source_offset = offset;
	wf_package_file_set_length(file, length);
	g_ptr_array_add(self->files, file);
	if (sha256 != NULL && g_strcmp0(sha256, file->sha256) != 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "%s does not match the SHA-256 the split recorded: the raw region "
			    "was changed",
			    entry->path);
		return FALSE;
	}
	return TRUE;
}

static gboolean
wf_package_load_manifest(WfFirmwarePackage *self, GError **error)
{
	g_autofree gchar *cfg_dir = wf_package_dirname(self->cfg_path);
	g_autofree gchar *path = wf_package_normalise_path(cfg_dir, WF_DUMP_MANIFEST_NAME);
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error_local = NULL;
	WfPackageEntry *entry = wf_package_lookup(self, path);
	JsonObject *root;
	JsonArray *files;
	const gchar *header_block;
	gsize sz = 0;
	const gchar *text;

	if (entry == NULL || entry->data == NULL)
		return TRUE;
	text = g_bytes_get_data(entry->data, &sz);
	if (!json_parser_load_from_data(parser, text, (gssize)sz, &error_local)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s: %s",
			    entry->path,
			    error_local->message);
		return FALSE;
	}
	if (!JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
		g_set_error(
			error, WF_ERROR, WF_ERROR_INVALID_FILE, "%s is not an object", entry->path);
		return FALSE;
	}
	root = json_node_get_object(json_parser_get_root(parser));
	if (json_object_get_int_member_with_default(root, "format", 0) != WF_DUMP_MANIFEST_FORMAT) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_NOT_SUPPORTED,
			    "%s: format %" G_GINT64_FORMAT " is not one this version reads",
			    entry->path,
			    json_object_get_int_member_with_default(root, "format", 0));
		return FALSE;
	}
	if (!wf_package_manifest_u32(root, "flash_size", &self->flash_size, error))
		return FALSE;
	header_block = wf_package_manifest_string(root, "header_block");
	if (g_strcmp0(header_block, "generated") != 0 && g_strcmp0(header_block, "file") != 0 &&
	    g_strcmp0(header_block, "absent") != 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s: header_block must be generated, file or absent",
			    entry->path);
		return FALSE;
	}
	self->header_block = g_strdup(header_block);
	if (!json_object_has_member(root, "files") ||
	    !JSON_NODE_HOLDS_ARRAY(json_object_get_member(root, "files"))) {
		g_set_error(error, WF_ERROR, WF_ERROR_INVALID_FILE, "%s has no files", entry->path);
		return FALSE;
	}
	files = json_object_get_array_member(root, "files");
	if (json_array_get_length(files) > WF_FIRMWARE_PACKAGE_MAX_ENTRIES) {
		g_set_error(
			error, WF_ERROR, WF_ERROR_INVALID_FILE, "%s: too many files", entry->path);
		return FALSE;
	}
	for (guint i = 0; i < json_array_get_length(files); i++) {
		JsonNode *node = json_array_get_element(files, i);
		if (!JSON_NODE_HOLDS_OBJECT(node)) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "%s: file %u is not an object",
				    entry->path,
				    i);
			return FALSE;
		}
		if (!wf_package_manifest_file(self, cfg_dir, json_node_get_object(node), error))
			return FALSE;
	}
	return TRUE;
}

/* ---- checks and identity --------------------------------------------------------------------- */

static gint
wf_package_file_cmp(gconstpointer a, gconstpointer b)
{
	const WfFirmwarePackageFile *fa = *(WfFirmwarePackageFile *const *)a;
	const WfFirmwarePackageFile *fb = *(WfFirmwarePackageFile *const *)b;
	if (fa->offset != fb->offset)
		return fa->offset < fb->offset ? -1 : 1;
	return g_strcmp0(fa->name, fb->name);
}

static gboolean
wf_package_check_overlaps(WfFirmwarePackage *self, GError **error)
{
	g_ptr_array_sort(self->files, wf_package_file_cmp);
	for (guint i = 0; i < self->files->len; i++) {
		WfFirmwarePackageFile *file = g_ptr_array_index(self->files, i);
		if (g_strcmp0(file->role, WF_FIRMWARE_PACKAGE_ROLE_GFH) == 0 &&
		    file->offset < WF_PACKAGE_HEADER_BLOCK_END) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "%s would go to 0x%x, inside the header block (0x0–0x%x)",
				    file->name,
				    file->offset,
				    WF_PACKAGE_HEADER_BLOCK_END);
			return FALSE;
		}
		if (i == 0)
			continue;
		{
			WfFirmwarePackageFile *prev = g_ptr_array_index(self->files, i - 1);
			if ((guint64)prev->offset + prev->length > file->offset) {
				g_set_error(error,
					    WF_ERROR,
					    WF_ERROR_INVALID_DATA,
					    "%s (0x%x–0x%x) overlaps %s (0x%x–0x%x)",
					    prev->name,
					    prev->offset,
					    prev->offset + prev->length,
					    file->name,
					    file->offset,
					    file->offset + file->length);
				return FALSE;
			}
		}
	}
	return TRUE;
}

/**
 * wf_firmware_package_get_rom:
 *
 * Returns: (transfer none) (nullable): the primary MAUI ROM of the package
 */
const WfFirmwarePackageFile *
wf_firmware_package_get_rom(WfFirmwarePackage *self)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_PACKAGE(self), NULL);
	for (guint i = 0; i < self->files->len; i++) {
		WfFirmwarePackageFile *file = g_ptr_array_index(self->files, i);
		if (file->has_file_info && file->file_info.file_type == WF_GFH_FILE_PRIMARY_MAUI)
			return file;
	}
	return NULL;
}

static void
wf_package_identity_offsets(WfFirmwarePackage *self)
{
	gboolean lzma = FALSE, alice = FALSE;

	for (guint i = 0; i < self->files->len; i++) {
		WfFirmwarePackageFile *file = g_ptr_array_index(self->files, i);
		const gchar *part = NULL;
		gsize sz = 0;
		const guint8 *buf;
		g_autoptr(GArray) hits = NULL;

		if (!file->has_file_info)
			continue;
		switch (file->file_info.file_type) {
		case WF_GFH_FILE_ARM_BL:
			part = "bootloader";
			break;
		case WF_GFH_FILE_ARM_EXT_BL:
			part = "ext_bootloader";
			break;
		case WF_GFH_FILE_PRIMARY_MAUI:
			part = "rom";
			break;
		case WF_GFH_FILE_VIVA:
			part = "viva";
			break;
		default:
			break;
		}
		if (part != NULL && !wf_firmware_identity_get_offset(self->identity, part, NULL))
			wf_firmware_identity_set_offset(self->identity, part, file->offset);
		buf = g_bytes_get_data(file->data, &sz);
		sz = MIN(sz, file->length);
		hits = wf_lzma_find_alice(buf, sz, 1);
		if (hits->len > 0)
			alice = TRUE;
		if (file->file_info.file_type == WF_GFH_FILE_VIVA) {
			g_autoptr(WfGfh) gfh = wf_gfh_new_from_bytes(file->data, 0, NULL);
			if (gfh != NULL && wf_gfh_parse_viva(gfh, file->data, NULL)) {
				const WfGfhVivaInfo *info = wf_gfh_get_viva_info(gfh);
				if (info->zimage_base != 0 || info->boot_zimage_base != 0 ||
				    info->dcmcmp_base != 0)
					lzma = TRUE;
				if (info->alice_base != 0)
					alice = TRUE;
			}
		}
	}
	wf_firmware_identity_set_compression(self->identity, lzma, alice);
}

static gboolean
wf_package_identify(WfFirmwarePackage *self, GError **error)
{
	const WfFirmwarePackageFile *rom = wf_firmware_package_get_rom(self);
	const gchar *cfg_platform = wf_cfg_get_platform(self->cfg);

	self->identity = wf_firmware_identity_new(WF_FIRMWARE_IDENTITY_KIND_PACKAGE);
	wf_firmware_identity_set_cfg(self->identity, self->cfg);
	if (rom == NULL) {
		wf_firmware_package_warn(self,
					 "the package has no MAUI ROM: nothing names the build");
	} else {
		g_autoptr(GBytes) data = g_bytes_new_from_bytes(rom->data, 0, rom->length);
		g_autoptr(GError) error_local = NULL;
		const gchar *rom_platform;
		gsize sz = 0;
		const guint8 *buf = g_bytes_get_data(data, &sz);

		self->rom_identity = wf_rom_identity_new();
		if (!wf_rom_identity_parse(self->rom_identity, data, &error_local))
			wf_firmware_package_warn(self, "%s: %s", rom->name, error_local->message);
		wf_firmware_identity_set_rom_identity(self->identity, self->rom_identity);
		wf_firmware_identity_set_image(self->identity, data);
		wf_firmware_identity_scan_image(self->identity, rom->name, buf, sz);
		rom_platform = wf_rom_identity_get_platform(self->rom_identity);
		if (rom_platform != NULL && cfg_platform != NULL &&
		    !wf_firmware_package_platform_matches(rom_platform, cfg_platform)) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "the cfg is for %s but the ROM was built for %s",
				    cfg_platform,
				    rom_platform);
			return FALSE;
		}
		if (rom_platform == NULL)
			wf_firmware_package_warn(
				self,
				"the ROM does not name its platform; the cfg says %s",
				cfg_platform);
	}
	wf_package_identity_offsets(self);
	return TRUE;
}

static gboolean
wf_package_finish_load(WfFirmwarePackage *self, GError **error)
{
	if (!wf_package_choose_cfg(self, error))
		return FALSE;
	if (!wf_package_load_cfg_files(self, error))
		return FALSE;
	if (!wf_package_load_manifest(self, error))
		return FALSE;
	if (!wf_package_check_overlaps(self, error))
		return FALSE;
	return wf_package_identify(self, error);
}

/* ---- loading --------------------------------------------------------------------------------- */

/**
 * wf_firmware_package_set_cfg_name:
 * @self: a #WfFirmwarePackage
 * @cfg_name: (nullable): the cfg to use when the package has several
 *
 * By default the cfg whose files are all present and that lists the most
 * files is used.
 */
void
wf_firmware_package_set_cfg_name(WfFirmwarePackage *self, const gchar *cfg_name)
{
	g_return_if_fail(WF_IS_FIRMWARE_PACKAGE(self));
	g_free(self->cfg_name);
	self->cfg_name = g_strdup(cfg_name);
}

static gboolean
wf_package_load_folder(WfFirmwarePackage *self, const gchar *root, GError **error)
{
	self->container = WF_PACKAGE_CONTAINER_FOLDER;
	if (!wf_package_walk_folder(self, root, NULL, 0, error))
		return FALSE;
	return wf_package_finish_load(self, error);
}

static gboolean
wf_package_load_archive(WfFirmwarePackage *self, GError **error)
{
	self->container = WF_PACKAGE_CONTAINER_ARCHIVE;
	if (!wf_package_archive_pass(self, FALSE, error))
		return FALSE;
	if (self->entries->len == 0) {
		g_set_error_literal(error, WF_ERROR, WF_ERROR_INVALID_FILE, "the archive is empty");
		return FALSE;
	}
	return wf_package_finish_load(self, error);
}

/**
 * wf_firmware_package_load:
 * @self: a #WfFirmwarePackage
 * @path: a package folder, a .cfg inside one, or a .zip/.7z/.rar/.tar archive
 * @error: (out): return location
 *
 * Reads the cfg and every boot- and main-region file it lists, and checks
 * them: all present, within their FILE_INFO max size, not overlapping, and
 * built for the cfg's platform.
 *
 * Returns: %TRUE on success
 */
gboolean
wf_firmware_package_load(WfFirmwarePackage *self, const gchar *path, GError **error)
{
	g_autoptr(GFile) file = NULL;
	g_autoptr(GFileInputStream) stream = NULL;
	g_autoptr(GError) error_local = NULL;
	guint8 head[512];
	gssize n;

	g_return_val_if_fail(WF_IS_FIRMWARE_PACKAGE(self), FALSE);
	g_return_val_if_fail(path != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	wf_firmware_package_reset(self);
	if (g_file_test(path, G_FILE_TEST_IS_DIR))
		return wf_package_load_folder(self, path, error);
	file = g_file_new_for_path(path);
	stream = g_file_read(file, NULL, &error_local);
	if (stream == NULL) {
		g_set_error(error,
			    WF_ERROR,
			    g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
				    ? WF_ERROR_NOT_FOUND
				    : WF_ERROR_READ,
			    "%s",
			    error_local->message);
		return FALSE;
	}
	n = g_input_stream_read(G_INPUT_STREAM(stream), head, sizeof(head), NULL, &error_local);
	if (n < 0) {
		g_set_error(error, WF_ERROR, WF_ERROR_READ, "%s", error_local->message);
		return FALSE;
	}
	if (wf_firmware_package_is_archive(head, (gsize)n)) {
		self->archive_path = g_strdup(path);
		return wf_package_load_archive(self, error);
	}
	if (g_str_has_suffix(path, ".cfg") || g_str_has_suffix(path, ".CFG")) {
		/* a cfg: its folder is the package, and this cfg is the one */
		g_autofree gchar *dir = g_path_get_dirname(path);
		g_autofree gchar *base = g_path_get_basename(path);
		wf_firmware_package_set_cfg_name(self, base);
		return wf_package_load_folder(self, dir, error);
	}
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_INVALID_FILE,
		    "%s is neither a folder, a .cfg nor a zip, 7z, rar or tar archive",
		    path);
	return FALSE;
}

/**
 * wf_firmware_package_load_archive_bytes:
 * @self: a #WfFirmwarePackage
 * @archive: a whole archive in memory
 * @error: (out): return location
 *
 * Like wf_firmware_package_load() for an archive already in memory.
 *
 * Returns: %TRUE on success
 */
gboolean
wf_firmware_package_load_archive_bytes(WfFirmwarePackage *self, GBytes *archive, GError **error)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_PACKAGE(self), FALSE);
	g_return_val_if_fail(archive != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	wf_firmware_package_reset(self);
	self->archive_bytes = g_bytes_ref(archive);
	return wf_package_load_archive(self, error);
}

/**
 * wf_firmware_package_new_from_path:
 *
 * Returns: (transfer full): the loaded package, or %NULL
 */
WfFirmwarePackage *
wf_firmware_package_new_from_path(const gchar *path, GError **error)
{
	g_autoptr(WfFirmwarePackage) self = wf_firmware_package_new();
	if (!wf_firmware_package_load(self, path, error))
		return NULL;
	return g_steal_pointer(&self);
}

/* ---- results --------------------------------------------------------------------------------- */

/**
 * wf_firmware_package_get_container:
 *
 * Returns: "folder", or the archive format libarchive names ("ZIP 2.0
 * (deflation)", "7-Zip", "RAR" …)
 */
const gchar *
wf_firmware_package_get_container(WfFirmwarePackage *self)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_PACKAGE(self), NULL);
	if (self->container == WF_PACKAGE_CONTAINER_FOLDER)
		return "folder";
	if (self->container == WF_PACKAGE_CONTAINER_ARCHIVE)
		return self->archive_format != NULL ? self->archive_format : "archive";
	return NULL;
}

const gchar *
wf_firmware_package_get_cfg_path(WfFirmwarePackage *self)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_PACKAGE(self), NULL);
	return self->cfg_path;
}

/**
 * wf_firmware_package_get_other_cfgs:
 *
 * Returns: (transfer none) (element-type utf8): the cfgs not used
 */
GPtrArray *
wf_firmware_package_get_other_cfgs(WfFirmwarePackage *self)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_PACKAGE(self), NULL);
	return self->other_cfgs;
}

/**
 * wf_firmware_package_get_cfg:
 *
 * Returns: (transfer none) (nullable): the cfg in use
 */
WfCfg *
wf_firmware_package_get_cfg(WfFirmwarePackage *self)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_PACKAGE(self), NULL);
	return self->cfg;
}

/**
 * wf_firmware_package_get_files:
 *
 * Returns: (transfer none) (element-type WfFirmwarePackageFile): every file
 * that goes to flash, by offset
 */
GPtrArray *
wf_firmware_package_get_files(WfFirmwarePackage *self)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_PACKAGE(self), NULL);
	return self->files;
}

/**
 * wf_firmware_package_find_file:
 * @self: a #WfFirmwarePackage
 * @name: a name as the cfg writes it (compared ignoring case and slashes)
 *
 * Returns: (transfer none) (nullable): the file
 */
const WfFirmwarePackageFile *
wf_firmware_package_find_file(WfFirmwarePackage *self, const gchar *name)
{
	g_autofree gchar *key = NULL;

	g_return_val_if_fail(WF_IS_FIRMWARE_PACKAGE(self), NULL);
	g_return_val_if_fail(name != NULL, NULL);
	key = wf_package_normalise_path(NULL, name);
	if (key == NULL)
		return NULL;
	for (guint i = 0; i < self->files->len; i++) {
		WfFirmwarePackageFile *file = g_ptr_array_index(self->files, i);
		g_autofree gchar *file_key = wf_package_normalise_path(NULL, file->name);
		if (file_key != NULL && g_utf8_collate(key, file_key) == 0)
			return file;
		if (file_key != NULL) {
			g_autofree gchar *a = wf_package_key(key);
			g_autofree gchar *b = wf_package_key(file_key);
			if (g_strcmp0(a, b) == 0)
				return file;
		}
	}
	return NULL;
}

/**
 * wf_firmware_package_get_rom_identity:
 *
 * Returns: (transfer none) (nullable): the ROM's identity
 */
WfRomIdentity *
wf_firmware_package_get_rom_identity(WfFirmwarePackage *self)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_PACKAGE(self), NULL);
	return self->rom_identity;
}

/**
 * wf_firmware_package_get_identity:
 *
 * Returns: (transfer none) (nullable): the summary of the package
 */
WfFirmwareIdentity *
wf_firmware_package_get_identity(WfFirmwarePackage *self)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_PACKAGE(self), NULL);
	return self->identity;
}

/**
 * wf_firmware_package_get_end:
 *
 * Returns: the first flash offset after every file (the smallest flash
 * that holds the package)
 */
guint32
wf_firmware_package_get_end(WfFirmwarePackage *self)
{
	guint32 end = 0;

	g_return_val_if_fail(WF_IS_FIRMWARE_PACKAGE(self), 0);
	for (guint i = 0; i < self->files->len; i++) {
		WfFirmwarePackageFile *file = g_ptr_array_index(self->files, i);
		end = MAX(end, file->offset + file->length);
		end = MAX(end, file->source_offset + file->length);
	}
	return end;
}

/**
 * wf_firmware_package_get_flash_size:
 *
 * Returns: the flash size a split recorded, 0 when unknown
 */
guint32
wf_firmware_package_get_flash_size(WfFirmwarePackage *self)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_PACKAGE(self), 0);
	return self->flash_size;
}

/**
 * wf_firmware_package_get_header_block:
 *
 * Returns: (nullable): what a split recorded about the header block:
 * "generated" (the builder reproduces it), "file" (a raw file holds it) or
 * "absent" (the dump had none); %NULL for packages that are not splits
 */
const gchar *
wf_firmware_package_get_header_block(WfFirmwarePackage *self)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_PACKAGE(self), NULL);
	return self->header_block;
}

/**
 * wf_firmware_package_get_plan_files:
 * @self: a loaded #WfFirmwarePackage
 * @flags: which raw regions of a split to include as well
 *
 * The input of wf_flash_plan_add_file(). Raw regions are described as
 * file_type FILE_SYSTEM (0x0480) for the tail and 0 for other bytes, with
 * load_addr = their flash offset, so the plan puts them where they were.
 * The strings and bytes belong to @self.
 *
 * Returns: (transfer container) (element-type WfFlashPlanFile): the files
 */
GArray *
wf_firmware_package_get_plan_files(WfFirmwarePackage *self, WfFirmwarePackagePlanFlags flags)
{
	GArray *array = g_array_new(FALSE, TRUE, sizeof(WfFlashPlanFile));

	g_return_val_if_fail(WF_IS_FIRMWARE_PACKAGE(self), array);
	for (guint i = 0; i < self->files->len; i++) {
		WfFirmwarePackageFile *file = g_ptr_array_index(self->files, i);
		WfFlashPlanFile pf = {0};

		pf.name = file->name;
		pf.data = file->data;
		pf.file_len = file->length;
		if (g_strcmp0(file->role, WF_FIRMWARE_PACKAGE_ROLE_GFH) == 0) {
			pf.file_type = file->file_info.file_type;
			pf.load_addr = file->file_info.load_addr;
		} else if (g_strcmp0(file->role, WF_FIRMWARE_PACKAGE_ROLE_FS_TAIL) == 0 &&
			   (flags & WF_FIRMWARE_PACKAGE_PLAN_FS_TAIL) != 0) {
			pf.file_type = WF_GFH_FILE_FILE_SYSTEM;
			pf.load_addr = file->offset;
		} else if (g_strcmp0(file->role, WF_FIRMWARE_PACKAGE_ROLE_EXTRA) == 0 &&
			   (flags & WF_FIRMWARE_PACKAGE_PLAN_EXTRA) != 0) {
			pf.file_type = 0;
			pf.load_addr = file->offset;
		} else {
			continue;
		}
		g_array_append_val(array, pf);
	}
	return array;
}

/**
 * wf_firmware_package_check_flash_size:
 * @self: a loaded #WfFirmwarePackage
 * @flash_size: the watch's flash size in bytes
 * @error: (out): return location
 *
 * Returns: %TRUE if every file fits a flash of @flash_size bytes
 */
gboolean
wf_firmware_package_check_flash_size(WfFirmwarePackage *self, guint32 flash_size, GError **error)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_PACKAGE(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	for (guint i = 0; i < self->files->len; i++) {
		WfFirmwarePackageFile *file = g_ptr_array_index(self->files, i);
		guint64 end = MAX((guint64)file->offset, file->source_offset) + file->length;
		if (end > flash_size) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_REFUSED,
				    "%s ends at 0x%" G_GINT64_MODIFIER "x, beyond the end of a "
				    "%u KiB flash: the package was made for a bigger flash",
				    file->name,
				    end,
				    flash_size / 1024);
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * wf_firmware_package_get_skipped:
 *
 * Returns: (transfer none) (element-type utf8): cfg files that are not
 * written (gps, control block, file system regions), with the reason
 */
GPtrArray *
wf_firmware_package_get_skipped(WfFirmwarePackage *self)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_PACKAGE(self), NULL);
	return self->skipped;
}

/**
 * wf_firmware_package_get_warnings:
 *
 * Returns: (transfer none) (element-type utf8): what the user should know
 */
GPtrArray *
wf_firmware_package_get_warnings(WfFirmwarePackage *self)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_PACKAGE(self), NULL);
	return self->warnings;
}

static void
wf_package_add_strv(JsonBuilder *b, const gchar *name, GPtrArray *strv)
{
	json_builder_set_member_name(b, name);
	json_builder_begin_array(b);
	for (guint i = 0; i < strv->len; i++)
		json_builder_add_string_value(b, g_ptr_array_index(strv, i));
	json_builder_end_array(b);
}

/**
 * wf_firmware_package_to_json:
 *
 * Returns: (transfer full): {"container", "cfg", "platform", "files": […],
 * "identity", "skipped", "warnings", …}
 */
JsonNode *
wf_firmware_package_to_json(WfFirmwarePackage *self)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	g_return_val_if_fail(WF_IS_FIRMWARE_PACKAGE(self), NULL);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "container");
	json_builder_add_string_value(b, wf_firmware_package_get_container(self));
	json_builder_set_member_name(b, "cfg");
	json_builder_add_string_value(b, self->cfg_path);
	wf_package_add_strv(b, "other_cfgs", self->other_cfgs);
	json_builder_set_member_name(b, "platform");
	json_builder_add_string_value(b, self->cfg != NULL ? wf_cfg_get_platform(self->cfg) : NULL);
	json_builder_set_member_name(b, "files");
	json_builder_begin_array(b);
	for (guint i = 0; i < self->files->len; i++) {
		WfFirmwarePackageFile *file = g_ptr_array_index(self->files, i);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, file->name);
		json_builder_set_member_name(b, "path");
		json_builder_add_string_value(b, file->path);
		json_builder_set_member_name(b, "role");
		json_builder_add_string_value(b, file->role);
		json_builder_set_member_name(b, "region");
		json_builder_add_string_value(b,
					      file->region < WF_CFG_REGION_LAST
						      ? wf_cfg_region_to_string(file->region)
						      : NULL);
		json_builder_set_member_name(b, "kind");
		json_builder_add_string_value(b, wf_flash_region_kind_to_string(file->kind));
		json_builder_set_member_name(b, "offset");
		json_builder_add_int_value(b, file->offset);
		json_builder_set_member_name(b, "length");
		json_builder_add_int_value(b, file->length);
		if (file->source_offset != file->offset) {
			json_builder_set_member_name(b, "source_offset");
			json_builder_add_int_value(b, file->source_offset);
		}
		if (file->has_file_info) {
			json_builder_set_member_name(b, "file_type");
			json_builder_add_string_value(
				b, wf_gfh_file_type_to_string(file->file_info.file_type));
			json_builder_set_member_name(b, "load_addr");
			json_builder_add_int_value(b, file->file_info.load_addr);
		}
		json_builder_set_member_name(b, "sha256");
		json_builder_add_string_value(b, file->sha256);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "end");
	json_builder_add_int_value(b, wf_firmware_package_get_end(self));
	if (self->header_block != NULL) {
		json_builder_set_member_name(b, "split");
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "flash_size");
		json_builder_add_int_value(b, self->flash_size);
		json_builder_set_member_name(b, "header_block");
		json_builder_add_string_value(b, self->header_block);
		json_builder_end_object(b);
	}
	json_builder_set_member_name(b, "identity");
	if (self->identity != NULL)
		json_builder_add_value(b, wf_firmware_identity_to_json(self->identity));
	else
		json_builder_add_null_value(b);
	wf_package_add_strv(b, "skipped", self->skipped);
	wf_package_add_strv(b, "warnings", self->warnings);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}
