/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-rom-identity.h"

#include <stdlib.h>
#include <string.h>

#include "wf-error.h"

#define ROMINFO_TAG	     "MTK_ROMINFO_v"
#define ROMINFO_BIN_NAME     0x10
#define ROMINFO_BIN_NAME_LEN 0x80
#define ROMINFO_VERNO	     0x90
#define ROMINFO_VERNO_LEN    0x40
#define ROMINFO_MIN_SIZE     (ROMINFO_VERNO + ROMINFO_VERNO_LEN)
/* MediaTek's own tools look for the ROMINFO tag in the first MiB */
#define ROMINFO_SEARCH_RANGE 0x100000
#define STRING_MIN_LEN	     6
#define STRING_MAX_LEN	     255

struct _WfRomIdentity {
	GObject parent_instance;
	gchar *values[WF_ROM_IDENTITY_FIELD_LAST];
	WfRomIdentitySource sources[WF_ROM_IDENTITY_FIELD_LAST];
	gsize rom_offset; /* G_MAXSIZE: no ROM GFH found */
	WfGfh *rom_gfh;
	WfBootHeader *boot_header;
	gsize rominfo_offset; /* G_MAXSIZE: none */
	gchar *rominfo_version;
	gchar *rominfo_bin_name;
	gchar *rominfo_verno;
	GPtrArray *warnings;
};

G_DEFINE_FINAL_TYPE(WfRomIdentity, wf_rom_identity, G_TYPE_OBJECT)

static const gchar *field_names[WF_ROM_IDENTITY_FIELD_LAST] = {
	[WF_ROM_IDENTITY_FIELD_PLATFORM] = "platform",
	[WF_ROM_IDENTITY_FIELD_BIN_NAME] = "bin_name",
	[WF_ROM_IDENTITY_FIELD_VERNO] = "verno",
	[WF_ROM_IDENTITY_FIELD_BRANCH] = "branch",
	[WF_ROM_IDENTITY_FIELD_PROJECT] = "project",
	[WF_ROM_IDENTITY_FIELD_HW_VER] = "hw_ver",
	[WF_ROM_IDENTITY_FIELD_BUILD_DATE] = "build_date",
	[WF_ROM_IDENTITY_FIELD_MMI_BASE] = "mmi_base",
	[WF_ROM_IDENTITY_FIELD_PLATFORM_TAG] = "platform_tag",
};

static void
wf_rom_identity_reset(WfRomIdentity *self)
{
	for (guint i = 0; i < WF_ROM_IDENTITY_FIELD_LAST; i++) {
		g_clear_pointer(&self->values[i], g_free);
		self->sources[i] = WF_ROM_IDENTITY_SOURCE_NONE;
	}
	self->rom_offset = G_MAXSIZE;
	g_clear_object(&self->rom_gfh);
	g_clear_object(&self->boot_header);
	self->rominfo_offset = G_MAXSIZE;
	g_clear_pointer(&self->rominfo_version, g_free);
	g_clear_pointer(&self->rominfo_bin_name, g_free);
	g_clear_pointer(&self->rominfo_verno, g_free);
	g_ptr_array_set_size(self->warnings, 0);
}

static void
wf_rom_identity_finalize(GObject *object)
{
	WfRomIdentity *self = WF_ROM_IDENTITY(object);
	wf_rom_identity_reset(self);
	g_ptr_array_unref(self->warnings);
	G_OBJECT_CLASS(wf_rom_identity_parent_class)->finalize(object);
}

static void
wf_rom_identity_class_init(WfRomIdentityClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_rom_identity_finalize;
}

static void
wf_rom_identity_init(WfRomIdentity *self)
{
	self->warnings = g_ptr_array_new_with_free_func(g_free);
	self->rom_offset = G_MAXSIZE;
	self->rominfo_offset = G_MAXSIZE;
}

/**
 * wf_rom_identity_new:
 *
 * Returns: (transfer full): an empty identity
 */
WfRomIdentity *
wf_rom_identity_new(void)
{
	return g_object_new(WF_TYPE_ROM_IDENTITY, NULL);
}

/**
 * wf_rom_identity_field_to_string:
 * @field: a #WfRomIdentityField
 *
 * Returns: the JSON member name, e.g. "hw_ver"
 */
const gchar *
wf_rom_identity_field_to_string(WfRomIdentityField field)
{
	if ((guint)field >= WF_ROM_IDENTITY_FIELD_LAST)
		return NULL;
	return field_names[field];
}

/**
 * wf_rom_identity_source_to_string:
 * @source: a #WfRomIdentitySource
 *
 * Returns: a stable name, e.g. "gfh"
 */
const gchar *
wf_rom_identity_source_to_string(WfRomIdentitySource source)
{
	switch (source) {
	case WF_ROM_IDENTITY_SOURCE_GFH:
		return "gfh";
	case WF_ROM_IDENTITY_SOURCE_ROMINFO:
		return "rominfo";
	case WF_ROM_IDENTITY_SOURCE_BIN_NAME:
		return "bin-name";
	case WF_ROM_IDENTITY_SOURCE_STRINGS:
		return "strings";
	case WF_ROM_IDENTITY_SOURCE_NONE:
	default:
		return "none";
	}
}

/* a weaker source never replaces a stronger one */
static void
wf_rom_identity_set(WfRomIdentity *self,
		    WfRomIdentityField field,
		    const gchar *value,
		    WfRomIdentitySource source)
{
	if (value == NULL || value[0] == '\0')
		return;
	if (self->sources[field] != WF_ROM_IDENTITY_SOURCE_NONE && self->sources[field] <= source)
		return;
	g_free(self->values[field]);
	self->values[field] = g_strdup(value);
	self->sources[field] = source;
}

static void
wf_rom_identity_warn(WfRomIdentity *self, const gchar *format, ...) G_GNUC_PRINTF(2, 3);

static void
wf_rom_identity_warn(WfRomIdentity *self, const gchar *format, ...)
{
	va_list args;
	va_start(args, format);
	g_ptr_array_add(self->warnings, g_strdup_vprintf(format, args));
	va_end(args);
}

/* -- string shapes --------------------------------------------------------------- */

static gboolean
wf_rom_identity_is_upper_ident(const gchar *s, gsize len)
{
	gboolean letter = FALSE;
	if (len == 0)
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (g_ascii_isupper(s[i]))
			letter = TRUE;
		else if (!g_ascii_isdigit(s[i]) && s[i] != '_')
			return FALSE;
	}
	return letter;
}

static gboolean
wf_rom_identity_all_digits(const gchar *s, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isdigit(s[i]))
			return FALSE;
	}
	return TRUE;
}

/* "MT" + 4 digits + optional upper-case letters, e.g. MT6261, MT6260A */
static gsize
wf_rom_identity_platform_len(const gchar *s)
{
	gsize len = 6;
	if (strncmp(s, "MT", 2) != 0 || strlen(s) < 6 || !wf_rom_identity_all_digits(s + 2, 4))
		return 0;
	while (g_ascii_isupper(s[len]) && len < 8)
		len++;
	return len;
}

/**
 * wf_rom_identity_split_bin_name:
 * @bin_name: a MAUI bin name,
 *   `<CUSTOMER>_<BOARD>_<gprs|gsm>_<PLATFORM>_<CHIP_VER>.<VERNO>[.bin]`
 * @platform: (out) (optional): e.g. "MT6261"
 * @verno: (out) (optional): e.g. "1418B01SIM868M32_EAT"
 *
 * Returns: %TRUE if @bin_name has that shape
 */
gboolean
wf_rom_identity_split_bin_name(const gchar *bin_name, gchar **platform, gchar **verno)
{
	g_autofree gchar *lower = NULL;
	const gchar *marker;
	const gchar *plat;
	const gchar *dot;
	gsize plat_len;
	gsize verno_len;

	g_return_val_if_fail(bin_name != NULL, FALSE);

	if (strchr(bin_name, ' ') != NULL)
		return FALSE;
	lower = g_ascii_strdown(bin_name, -1);
	marker = strstr(lower, "_gprs_");
	if (marker != NULL) {
		plat = bin_name + (marker - lower) + 6;
	} else {
		marker = strstr(lower, "_gsm_");
		if (marker == NULL)
			return FALSE;
		plat = bin_name + (marker - lower) + 5;
	}
	plat_len = wf_rom_identity_platform_len(plat);
	if (plat_len == 0 || plat[plat_len] != '_')
		return FALSE;
	/* chip version (S00) up to the dot that starts the VERNO */
	dot = strchr(plat + plat_len + 1, '.');
	if (dot == NULL || dot == plat + plat_len + 1)
		return FALSE;
	verno_len = strlen(dot + 1);
	/* "<…>_S00.bin" has an extension but no VERNO */
	if (g_ascii_strcasecmp(dot + 1, "bin") == 0)
		return FALSE;
	if (verno_len > 4 && g_ascii_strcasecmp(dot + 1 + verno_len - 4, ".bin") == 0)
		verno_len -= 4;
	if (verno_len == 0)
		return FALSE;
	if (platform != NULL)
		*platform = g_ascii_strup(plat, plat_len);
	if (verno != NULL)
		*verno = g_strndup(dot + 1, verno_len);
	return TRUE;
}

/* "YYYY/MM/DD HH:MM", as build_date_time() returns it */
static gboolean
wf_rom_identity_is_build_date(const gchar *s, gsize len)
{
	gint year, month, day, hour, minute;
	if (len != 16 || s[4] != '/' || s[7] != '/' || s[10] != ' ' || s[13] != ':')
		return FALSE;
	if (!wf_rom_identity_all_digits(s, 4) || !wf_rom_identity_all_digits(s + 5, 2) ||
	    !wf_rom_identity_all_digits(s + 8, 2) || !wf_rom_identity_all_digits(s + 11, 2) ||
	    !wf_rom_identity_all_digits(s + 14, 2))
		return FALSE;
	year = atoi(s);
	month = (s[5] - '0') * 10 + (s[6] - '0');
	day = (s[8] - '0') * 10 + (s[9] - '0');
	hour = (s[11] - '0') * 10 + (s[12] - '0');
	minute = (s[14] - '0') * 10 + (s[15] - '0');
	return year >= 1990 && year <= 2099 && month >= 1 && month <= 12 && day >= 1 && day <= 31 &&
	       hour <= 23 && minute <= 59;
}

/* release_branch(): "<branch> <project>", e.g. "11CW1352MP GPLUS61A_11C_NX9"
 * or "11C SIM868M32_EAT" */
static gboolean
wf_rom_identity_split_branch(const gchar *s, gsize len, gchar **branch, gchar **project)
{
	const gchar *space = memchr(s, ' ', len);
	gsize blen;
	gsize plen;

	if (space == NULL)
		return FALSE;
	blen = space - s;
	plen = len - blen - 1;
	if (blen < 3 || blen > 24 || plen < 3 || plen > 64)
		return FALSE;
	if (!g_ascii_isdigit(s[0]) || !g_ascii_isdigit(s[1]) || !g_ascii_isupper(s[2]))
		return FALSE;
	for (gsize i = 3; i < blen; i++) {
		if (!g_ascii_isupper(s[i]) && !g_ascii_isdigit(s[i]))
			return FALSE;
	}
	if (!wf_rom_identity_is_upper_ident(space + 1, plen))
		return FALSE;
	*branch = g_strndup(s, blen);
	*project = g_strndup(space + 1, plen);
	return TRUE;
}

static gboolean
wf_rom_identity_has_suffix(const gchar *s, gsize len, const gchar *suffix)
{
	gsize slen = strlen(suffix);
	return len > slen && memcmp(s + len - slen, suffix, slen) == 0;
}

/* one printable run from the ROM, NUL-terminated, at most 255 chars */
static void
wf_rom_identity_check_string(WfRomIdentity *self, const gchar *s, gsize len)
{
	const WfRomIdentitySource src = WF_ROM_IDENTITY_SOURCE_STRINGS;
	g_autofree gchar *platform = NULL;
	g_autofree gchar *verno = NULL;
	g_autofree gchar *branch = NULL;
	g_autofree gchar *project = NULL;
	gsize plat_len;

	if (self->sources[WF_ROM_IDENTITY_FIELD_BUILD_DATE] == WF_ROM_IDENTITY_SOURCE_NONE &&
	    wf_rom_identity_is_build_date(s, len)) {
		wf_rom_identity_set(self, WF_ROM_IDENTITY_FIELD_BUILD_DATE, s, src);
		return;
	}
	if (self->sources[WF_ROM_IDENTITY_FIELD_BRANCH] == WF_ROM_IDENTITY_SOURCE_NONE &&
	    wf_rom_identity_split_branch(s, len, &branch, &project)) {
		wf_rom_identity_set(self, WF_ROM_IDENTITY_FIELD_BRANCH, branch, src);
		wf_rom_identity_set(self, WF_ROM_IDENTITY_FIELD_PROJECT, project, src);
		return;
	}
	if (wf_rom_identity_is_upper_ident(s, len)) {
		if (len >= 6 && wf_rom_identity_has_suffix(s, len, "_HW")) {
			wf_rom_identity_set(self, WF_ROM_IDENTITY_FIELD_HW_VER, s, src);
			return;
		}
		if (wf_rom_identity_has_suffix(s, len, "_MMI") && strchr(s, '_') == s + len - 4) {
			wf_rom_identity_set(self, WF_ROM_IDENTITY_FIELD_MMI_BASE, s, src);
			return;
		}
		/* "MT6261PRO": the platform letters must not swallow the suffix */
		if (wf_rom_identity_has_suffix(s, len, "PRO")) {
			g_autofree gchar *bare = g_strndup(s, len - 3);
			if (wf_rom_identity_platform_len(bare) == len - 3) {
				wf_rom_identity_set(
					self, WF_ROM_IDENTITY_FIELD_PLATFORM_TAG, s, src);
				wf_rom_identity_set(
					self, WF_ROM_IDENTITY_FIELD_PLATFORM, bare, src);
				return;
			}
		}
		plat_len = wf_rom_identity_platform_len(s);
		if (plat_len > 0 && len == plat_len) {
			wf_rom_identity_set(self, WF_ROM_IDENTITY_FIELD_PLATFORM, s, src);
			return;
		}
	}
	if (self->sources[WF_ROM_IDENTITY_FIELD_BIN_NAME] == WF_ROM_IDENTITY_SOURCE_NONE &&
	    wf_rom_identity_split_bin_name(s, &platform, &verno))
		wf_rom_identity_set(self, WF_ROM_IDENTITY_FIELD_BIN_NAME, s, src);
}

static void
wf_rom_identity_scan_strings(WfRomIdentity *self, const guint8 *buf, gsize len)
{
	gsize start = 0;
	for (gsize i = 0; i <= len; i++) {
		gsize run;
		if (i < len && buf[i] >= 0x20 && buf[i] <= 0x7E)
			continue;
		run = i - start;
		if (run >= STRING_MIN_LEN && run <= STRING_MAX_LEN) {
			gchar tmp[STRING_MAX_LEN + 1];
			memcpy(tmp, buf + start, run);
			tmp[run] = '\0';
			wf_rom_identity_check_string(self, tmp, run);
		}
		start = i + 1;
	}
}

/* -- structured sources ------------------------------------------------------------- */

static gchar *
wf_rom_identity_read_text(const guint8 *p, gsize maxlen)
{
	gsize len = 0;
	while (len < maxlen && p[len] != '\0')
		len++;
	for (gsize i = 0; i < len; i++) {
		if (p[i] < 0x20 || p[i] > 0x7E)
			return NULL;
	}
	return g_strndup((const gchar *)p, len);
}

static void
wf_rom_identity_find_rominfo(WfRomIdentity *self, const guint8 *buf, gsize start, gsize end)
{
	gsize tag_len = strlen(ROMINFO_TAG);
	gsize stop = MIN(end, start + ROMINFO_SEARCH_RANGE);

	for (gsize off = start; off < stop && stop - off >= tag_len; off++) {
		const guint8 *p = buf + off;
		g_autofree gchar *bin_name = NULL;
		g_autofree gchar *verno = NULL;
		if (p[0] != 'M' || memcmp(p, ROMINFO_TAG, tag_len) != 0)
			continue;
		if (end - off < ROMINFO_MIN_SIZE) {
			wf_rom_identity_warn(self,
					     "offset 0x%" G_GSIZE_MODIFIER
					     "x: MTK_ROMINFO block is cut "
					     "short",
					     off);
			return;
		}
		bin_name = wf_rom_identity_read_text(p + ROMINFO_BIN_NAME, ROMINFO_BIN_NAME_LEN);
		verno = wf_rom_identity_read_text(p + ROMINFO_VERNO, ROMINFO_VERNO_LEN);
		if (bin_name == NULL || verno == NULL) {
			wf_rom_identity_warn(self,
					     "offset 0x%" G_GSIZE_MODIFIER
					     "x: MTK_ROMINFO block holds "
					     "non-text names",
					     off);
			continue;
		}
		self->rominfo_offset = off;
		self->rominfo_version =
			wf_rom_identity_read_text(p + tag_len - 1, 16 - tag_len + 1);
		self->rominfo_bin_name = g_steal_pointer(&bin_name);
		self->rominfo_verno = g_steal_pointer(&verno);
		return;
	}
}

static void
wf_rom_identity_find_rom(WfRomIdentity *self, GBytes *blob, const guint8 *buf, gsize bufsz)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(WfGfh) gfh = wf_gfh_new();
	gsize off = G_MAXSIZE;

	if (wf_gfh_is_file_info(buf, bufsz, 0)) {
		off = 0;
	} else {
		/* a full dump: the header block says where the main region is */
		self->boot_header = wf_boot_header_new();
		if (wf_boot_header_parse(self->boot_header, blob, NULL) &&
		    wf_boot_header_get_state(self->boot_header) == WF_BOOT_HEADER_STATE_VALID) {
			gsize main = wf_boot_header_get_main_region_addr(self->boot_header);
			if (wf_gfh_is_file_info(buf, bufsz, main))
				off = main;
		}
		if (off == G_MAXSIZE)
			off = wf_gfh_scan(buf, bufsz, 0, 4, WF_GFH_FILE_PRIMARY_MAUI);
	}
	if (off == G_MAXSIZE)
		return;
	if (!wf_gfh_parse(gfh, blob, off, 0, &error_local)) {
		wf_rom_identity_warn(self, "ROM GFH: %s", error_local->message);
		return;
	}
	if (wf_gfh_get_file_info(gfh)->file_type != WF_GFH_FILE_PRIMARY_MAUI) {
		/* a bare EXT_BOOTLOADER, VIVA …: no MAUI_INFO to expect */
		wf_rom_identity_warn(
			self,
			"the file at 0x%" G_GSIZE_MODIFIER "x is %s, not a MAUI ROM",
			off,
			wf_gfh_file_type_to_string(wf_gfh_get_file_info(gfh)->file_type) != NULL
				? wf_gfh_file_type_to_string(wf_gfh_get_file_info(gfh)->file_type)
				: "an unknown file type");
	}
	self->rom_offset = off;
	self->rom_gfh = g_steal_pointer(&gfh);
}

static void
wf_rom_identity_from_bin_name(WfRomIdentity *self)
{
	g_autofree gchar *platform = NULL;
	g_autofree gchar *verno = NULL;
	const gchar *bin_name = self->values[WF_ROM_IDENTITY_FIELD_BIN_NAME];

	if (bin_name == NULL)
		return;
	if (!wf_rom_identity_split_bin_name(bin_name, &platform, &verno)) {
		wf_rom_identity_warn(
			self, "bin name ‘%s’ is not <…>_gprs_<MTxxxx>_<chip>.<VERNO>", bin_name);
		return;
	}
	wf_rom_identity_set(
		self, WF_ROM_IDENTITY_FIELD_PLATFORM, platform, WF_ROM_IDENTITY_SOURCE_BIN_NAME);
	wf_rom_identity_set(
		self, WF_ROM_IDENTITY_FIELD_VERNO, verno, WF_ROM_IDENTITY_SOURCE_BIN_NAME);
}

static void
wf_rom_identity_cross_check(WfRomIdentity *self)
{
	if (self->rom_gfh == NULL || self->rominfo_offset == G_MAXSIZE)
		return;
	if (wf_gfh_get_verno(self->rom_gfh) != NULL &&
	    g_strcmp0(wf_gfh_get_verno(self->rom_gfh), self->rominfo_verno) != 0)
		wf_rom_identity_warn(self,
				     "MAUI_INFO VERNO ‘%s’ differs from MTK_ROMINFO ‘%s’",
				     wf_gfh_get_verno(self->rom_gfh),
				     self->rominfo_verno);
	if (wf_gfh_get_bin_name(self->rom_gfh) != NULL &&
	    g_ascii_strcasecmp(wf_gfh_get_bin_name(self->rom_gfh), self->rominfo_bin_name) != 0)
		wf_rom_identity_warn(self,
				     "MAUI_INFO bin name ‘%s’ differs from MTK_ROMINFO ‘%s’",
				     wf_gfh_get_bin_name(self->rom_gfh),
				     self->rominfo_bin_name);
}

/**
 * wf_rom_identity_parse:
 * @self: a #WfRomIdentity
 * @blob: a MAUI ROM file or a full flash dump
 * @error: (nullable): return location
 *
 * Finds the ROM (at offset 0, at the header block's main region, or by a
 * 4-byte aligned GFH scan), reads MAUI_INFO and the MTK_ROMINFO block,
 * then scans the ROM's printable strings for what is still missing. A
 * broken GFH is a warning, not an error: strings may still name the build.
 *
 * Returns: %TRUE if anything identifying was found
 */
gboolean
wf_rom_identity_parse(WfRomIdentity *self, GBytes *blob, GError **error)
{
	gsize bufsz = 0;
	const guint8 *buf;
	gsize start = 0;
	gsize end;
	gboolean found = FALSE;

	g_return_val_if_fail(WF_IS_ROM_IDENTITY(self), FALSE);
	g_return_val_if_fail(blob != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	wf_rom_identity_reset(self);
	buf = g_bytes_get_data(blob, &bufsz);
	if (bufsz > WF_ROM_IDENTITY_MAX_SIZE) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%" G_GSIZE_FORMAT " bytes is larger than any watch flash (limit %u)",
			    bufsz,
			    (guint)WF_ROM_IDENTITY_MAX_SIZE);
		return FALSE;
	}
	end = bufsz;

	wf_rom_identity_find_rom(self, blob, buf, bufsz);
	if (self->rom_gfh != NULL) {
		const WfGfhFileInfo *fi = wf_gfh_get_file_info(self->rom_gfh);
		start = self->rom_offset;
		/* strings outside the ROM (file system, other files) would only
		 * add false matches */
		if (fi->file_len > 0 && fi->file_len <= bufsz - start)
			end = start + fi->file_len;
		wf_rom_identity_set(self,
				    WF_ROM_IDENTITY_FIELD_BIN_NAME,
				    wf_gfh_get_bin_name(self->rom_gfh),
				    WF_ROM_IDENTITY_SOURCE_GFH);
		wf_rom_identity_set(self,
				    WF_ROM_IDENTITY_FIELD_VERNO,
				    wf_gfh_get_verno(self->rom_gfh),
				    WF_ROM_IDENTITY_SOURCE_GFH);
	}
	wf_rom_identity_find_rominfo(self, buf, start, end);
	if (self->rominfo_offset != G_MAXSIZE) {
		wf_rom_identity_set(self,
				    WF_ROM_IDENTITY_FIELD_BIN_NAME,
				    self->rominfo_bin_name,
				    WF_ROM_IDENTITY_SOURCE_ROMINFO);
		wf_rom_identity_set(self,
				    WF_ROM_IDENTITY_FIELD_VERNO,
				    self->rominfo_verno,
				    WF_ROM_IDENTITY_SOURCE_ROMINFO);
	}
	wf_rom_identity_scan_strings(self, buf + start, end - start);
	wf_rom_identity_from_bin_name(self);
	wf_rom_identity_cross_check(self);

	for (guint i = 0; i < WF_ROM_IDENTITY_FIELD_LAST; i++) {
		if (self->values[i] != NULL)
			found = TRUE;
	}
	if (!found) {
		g_set_error_literal(
			error,
			WF_ERROR,
			WF_ERROR_NOT_FOUND,
			"no MAUI build identity found: no GFH MAUI_INFO, no MTK_ROMINFO "
			"block and no identity strings");
		wf_rom_identity_reset(self);
		return FALSE;
	}
	return TRUE;
}

/**
 * wf_rom_identity_new_from_bytes:
 * @blob: a ROM or a full dump
 * @error: (nullable): return location
 *
 * Returns: (transfer full): the identity, or %NULL
 */
WfRomIdentity *
wf_rom_identity_new_from_bytes(GBytes *blob, GError **error)
{
	g_autoptr(WfRomIdentity) self = wf_rom_identity_new();
	g_return_val_if_fail(blob != NULL, NULL);
	if (!wf_rom_identity_parse(self, blob, error))
		return NULL;
	return g_steal_pointer(&self);
}

/* -- getters ------------------------------------------------------------------------- */

/**
 * wf_rom_identity_get:
 * @self: a #WfRomIdentity
 * @field: a #WfRomIdentityField
 *
 * Returns: (nullable): the value
 */
const gchar *
wf_rom_identity_get(WfRomIdentity *self, WfRomIdentityField field)
{
	g_return_val_if_fail(WF_IS_ROM_IDENTITY(self), NULL);
	g_return_val_if_fail((guint)field < WF_ROM_IDENTITY_FIELD_LAST, NULL);
	return self->values[field];
}

/**
 * wf_rom_identity_get_source:
 * @self: a #WfRomIdentity
 * @field: a #WfRomIdentityField
 *
 * Returns: where the value came from
 */
WfRomIdentitySource
wf_rom_identity_get_source(WfRomIdentity *self, WfRomIdentityField field)
{
	g_return_val_if_fail(WF_IS_ROM_IDENTITY(self), WF_ROM_IDENTITY_SOURCE_NONE);
	g_return_val_if_fail((guint)field < WF_ROM_IDENTITY_FIELD_LAST,
			     WF_ROM_IDENTITY_SOURCE_NONE);
	return self->sources[field];
}

const gchar *
wf_rom_identity_get_platform(WfRomIdentity *self)
{
	return wf_rom_identity_get(self, WF_ROM_IDENTITY_FIELD_PLATFORM);
}

const gchar *
wf_rom_identity_get_bin_name(WfRomIdentity *self)
{
	return wf_rom_identity_get(self, WF_ROM_IDENTITY_FIELD_BIN_NAME);
}

const gchar *
wf_rom_identity_get_verno(WfRomIdentity *self)
{
	return wf_rom_identity_get(self, WF_ROM_IDENTITY_FIELD_VERNO);
}

const gchar *
wf_rom_identity_get_branch(WfRomIdentity *self)
{
	return wf_rom_identity_get(self, WF_ROM_IDENTITY_FIELD_BRANCH);
}

const gchar *
wf_rom_identity_get_project(WfRomIdentity *self)
{
	return wf_rom_identity_get(self, WF_ROM_IDENTITY_FIELD_PROJECT);
}

const gchar *
wf_rom_identity_get_hw_ver(WfRomIdentity *self)
{
	return wf_rom_identity_get(self, WF_ROM_IDENTITY_FIELD_HW_VER);
}

const gchar *
wf_rom_identity_get_build_date(WfRomIdentity *self)
{
	return wf_rom_identity_get(self, WF_ROM_IDENTITY_FIELD_BUILD_DATE);
}

/**
 * wf_rom_identity_get_rom_offset:
 * @self: a #WfRomIdentity
 *
 * Returns: where the ROM's GFH chain starts, %G_MAXSIZE if none was found
 */
gsize
wf_rom_identity_get_rom_offset(WfRomIdentity *self)
{
	g_return_val_if_fail(WF_IS_ROM_IDENTITY(self), G_MAXSIZE);
	return self->rom_offset;
}

/**
 * wf_rom_identity_get_rom_gfh:
 * @self: a #WfRomIdentity
 *
 * Returns: (transfer none) (nullable): the ROM's GFH chain (flash IDs, FS region)
 */
WfGfh *
wf_rom_identity_get_rom_gfh(WfRomIdentity *self)
{
	g_return_val_if_fail(WF_IS_ROM_IDENTITY(self), NULL);
	return self->rom_gfh;
}

/**
 * wf_rom_identity_get_boot_header:
 * @self: a #WfRomIdentity
 *
 * Returns: (transfer none) (nullable): the header block, when the input was
 * not a bare ROM file
 */
WfBootHeader *
wf_rom_identity_get_boot_header(WfRomIdentity *self)
{
	g_return_val_if_fail(WF_IS_ROM_IDENTITY(self), NULL);
	return self->boot_header;
}

/**
 * wf_rom_identity_get_rominfo_offset:
 * @self: a #WfRomIdentity
 *
 * Returns: where "MTK_ROMINFO_v" was found, %G_MAXSIZE if not
 */
gsize
wf_rom_identity_get_rominfo_offset(WfRomIdentity *self)
{
	g_return_val_if_fail(WF_IS_ROM_IDENTITY(self), G_MAXSIZE);
	return self->rominfo_offset;
}

/**
 * wf_rom_identity_get_rominfo_version:
 * @self: a #WfRomIdentity
 *
 * Returns: (nullable): e.g. "v09"
 */
const gchar *
wf_rom_identity_get_rominfo_version(WfRomIdentity *self)
{
	g_return_val_if_fail(WF_IS_ROM_IDENTITY(self), NULL);
	return self->rominfo_version;
}

/**
 * wf_rom_identity_get_warnings:
 * @self: a #WfRomIdentity
 *
 * Returns: (transfer none) (element-type utf8): disagreements between sources
 */
GPtrArray *
wf_rom_identity_get_warnings(WfRomIdentity *self)
{
	g_return_val_if_fail(WF_IS_ROM_IDENTITY(self), NULL);
	return self->warnings;
}

/**
 * wf_rom_identity_to_json:
 * @self: a #WfRomIdentity
 *
 * Returns: (transfer full): every field with its source, the ROMINFO block,
 * the ROM's GFH chain and the header block state
 */
JsonNode *
wf_rom_identity_to_json(WfRomIdentity *self)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();

	g_return_val_if_fail(WF_IS_ROM_IDENTITY(self), NULL);

	json_builder_begin_object(builder);
	for (guint i = 0; i < WF_ROM_IDENTITY_FIELD_LAST; i++) {
		if (self->values[i] == NULL)
			continue;
		json_builder_set_member_name(builder, field_names[i]);
		json_builder_add_string_value(builder, self->values[i]);
	}
	json_builder_set_member_name(builder, "sources");
	json_builder_begin_object(builder);
	for (guint i = 0; i < WF_ROM_IDENTITY_FIELD_LAST; i++) {
		if (self->values[i] == NULL)
			continue;
		json_builder_set_member_name(builder, field_names[i]);
		json_builder_add_string_value(builder,
					      wf_rom_identity_source_to_string(self->sources[i]));
	}
	json_builder_end_object(builder);
	if (self->rominfo_offset != G_MAXSIZE) {
		g_autofree gchar *hex =
			g_strdup_printf("0x%" G_GSIZE_MODIFIER "X", self->rominfo_offset);
		json_builder_set_member_name(builder, "rominfo");
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "offset");
		json_builder_add_string_value(builder, hex);
		json_builder_set_member_name(builder, "version");
		json_builder_add_string_value(
			builder, self->rominfo_version != NULL ? self->rominfo_version : "unknown");
		json_builder_set_member_name(builder, "bin_name");
		json_builder_add_string_value(builder, self->rominfo_bin_name);
		json_builder_set_member_name(builder, "verno");
		json_builder_add_string_value(builder, self->rominfo_verno);
		json_builder_end_object(builder);
	}
	if (self->rom_gfh != NULL) {
		json_builder_set_member_name(builder, "rom");
		json_builder_add_value(builder, wf_gfh_to_json(self->rom_gfh));
	}
	if (self->boot_header != NULL) {
		json_builder_set_member_name(builder, "boot_header");
		json_builder_add_value(builder, wf_boot_header_to_json(self->boot_header));
	}
	json_builder_set_member_name(builder, "warnings");
	json_builder_begin_array(builder);
	for (guint i = 0; i < self->warnings->len; i++)
		json_builder_add_string_value(builder, g_ptr_array_index(self->warnings, i));
	json_builder_end_array(builder);
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}
