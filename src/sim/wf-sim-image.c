/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-sim-image.h"

#include <lzma.h>
#include <string.h>

#include "wf-error.h"

/*
 * Everything here is written from docs/firmware-formats.md (§2.2 header
 * block, §2.3 GFH, §2.4 VIVA, §3 identity strings, §4.2 LZMA) and from the
 * field values of the real SIM868 samples in testdata/headers. The simulator
 * must not share constants with the client, so nothing is taken from
 * src/core: if the client's parser and this generator disagree, one of them
 * is wrong and a test shows it.
 */

#define WF_SIM_XIP_BASE		 0x10000000u /* flash offset 0 in the CPU's address space */
#define WF_SIM_BL_LOAD_ADDR	 0x70006000u /* MT6261 bootloader runs in on-chip SRAM */
#define WF_SIM_HEADER_BLOCK_SIZE 0x800u
#define WF_SIM_SF_DEV_RW_UNIT	 0x200u
#define WF_SIM_BRLYT_BL_SLOTS	 8u
#define WF_SIM_BL_DESC_SIZE	 20u
#define WF_SIM_BL_DESC_MAGIC	 0x42424242u /* "BBBB" */
#define WF_SIM_DEV_SERIAL_FLASH	 7u

#define WF_SIM_GFH_FILE_INFO_SIZE 0x38u
#define WF_SIM_FT_ARM_BL	  0x0001u
#define WF_SIM_FT_ARM_EXT_BL	  0x0002u
#define WF_SIM_FT_PRIMARY_MAUI	  0x0100u
#define WF_SIM_FT_VIVA		  0x0108u
#define WF_SIM_SIG_NONE		  0u
#define WF_SIM_SIG_PHASH	  1u
#define WF_SIM_ATTR_POST_BUILD	  0x1u
#define WF_SIM_ATTR_XIP		  0x2u

/* bootloader trailer as mtk_sign writes it: "\0DNE" marker, then SHA-1 + 12 zero bytes */
#define WF_SIM_SIG_LEN	  0x20u
#define WF_SIM_MARKER_LEN 4u

#define WF_SIM_BL_CHAIN_LEN                                                                        \
	0x140u /* FILE_INFO BROM_CFG BL_INFO ARM_BL_INFO EMI_LIST BROM_SEC_CFG */
#define WF_SIM_EXT_BL_CHAIN_LEN 0x60u /* FILE_INFO BL_INFO ARM_BL_INFO */
#define WF_SIM_MIN_CODE_LEN	0x100u
#define WF_SIM_MAUI_INFO_SIZE	0x130u
#define WF_SIM_MAUI_NAME_LEN	0x80u
#define WF_SIM_MAUI_VERNO_LEN	0x40u
#define WF_SIM_FLASH_INFO_SIZE	0x7Cu
#define WF_SIM_CBR_INFO_SIZE	0x20u
#define WF_SIM_MBA_INFO_SIZE	0x20u
#define WF_SIM_ROMINFO_OFFSET	0x8C0u /* where SIM868 keeps it; well after any GFH chain */
#define WF_SIM_ROMINFO_LEN	0x100u
#define WF_SIM_ROM_MIN_LEN	0x4000u
#define WF_SIM_STRING_MAX	64u
#define WF_SIM_CODE_MAX		32u
#define WF_SIM_CODES_MAX	64u

#define WF_SIM_VIVA_GAP		0x400u /* scatter: VIVA +0x400 after the previous load region */
#define WF_SIM_VIVA_INFO_OFFSET 0x38u
#define WF_SIM_ZIMAGE_OFFSET	0x4Cu /* VIVAInfo is five u32 */
#define WF_SIM_ZIMAGE_HDR_LEN	0x18u /* u32 count + one 5 × u32 partition entry */
#define WF_SIM_ZIMAGE_PART_TYPE 0u    /* one-shot LZMA; type 3 would need an ALICE preset */
#define WF_SIM_LZMA_DICT	(4u * WF_SIM_IMAGE_MIB)

#define WF_SIM_FS_SECTOR   0x1000u
#define WF_SIM_FS_HDR_LEN  0x20u
#define WF_SIM_FS_REC_HDR  12u
#define WF_SIM_FS_RESERVED 0x2000u /* the last 8 KiB stay outside the FS, like SIM868 */

/* serial-flash ids from real MT6261 CMEM lists and cfgs (firmware-formats.md §5) */
static const guint8 wf_sim_real_flash_ids[][3] = {
	{0xC2, 0x25, 0x36},
	{0xEF, 0x40, 0x16},
	{0xC2, 0x20, 0x16},
	{0xEF, 0x70, 0x16},
	{0xC8, 0x60, 0x16},
	{0xC2, 0x25, 0x38},
};

/* MAUI SSC defaults, the MediaTek logo code, A2DP toggle and two watch vendor codes */
static const gchar *const wf_sim_default_codes[] = {
	"*#8375#",
	"*#357#",
	"*#3646633#",
	"*#66*#",
	"*#87#",
	"*#33778#",
	"*#523#",
	"*#3366*#",
	"*#87285*#",
	"*#6810#",
	"*#7525#",
	"*#5566183#",
	"*#63342835#",
	"*#1234#",
	"*#06#",
	"*#00000000#",
	NULL,
};

/* menu texts of a typical DZ09-class watch, the "resources" packed into the ZIMAGE */
static const gchar *const wf_sim_menu_texts[] = {
	"Bluetooth", "Pedometer",    "Sleep monitor", "Sedentary reminder", "Remote capture",
	"Anti-lost", "Find phone",   "Call logs",     "Messages",	    "Phonebook",
	"Settings",  "Clock style",  "Alarm",	      "Stopwatch",	    "Calculator",
	"Camera",    "Audio player", "Profiles",      "Notifier",	    "Language",
	"Display",   "Power off",    "Restart",	      "Factory reset",
};
static const gchar *const wf_sim_languages[] = {"EN", "DE", "FR", "ES", "IT", "RU"};

typedef struct {
	WfSimImageLayout layout;
	guint8 cmem_ids[WF_SIM_IMAGE_MAX_FLASH_IDS][3];
	guint n_cmem;
	guint32 rom_chain_len;
	gchar *bin_name;
	GBytes *zimage_payload;
	GBytes *zimage_stream;
} WfSimImagePlan;

static void
wf_sim_image_plan_clear(WfSimImagePlan *plan)
{
	g_clear_pointer(&plan->bin_name, g_free);
	g_clear_pointer(&plan->zimage_payload, g_bytes_unref);
	g_clear_pointer(&plan->zimage_stream, g_bytes_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(WfSimImagePlan, wf_sim_image_plan_clear)

typedef struct {
	guint16 file_type;
	guint8 sig_type;
	guint32 load_addr;
	guint32 file_len;
	guint32 content_offset;
	guint32 sig_len;
	guint32 jump_offset;
	guint32 attr;
} WfSimFileInfo;

/* ---- little helpers ------------------------------------------------------------------------ */

static void
wf_sim_put_u16(guint8 *p, guint16 v)
{
	p[0] = v & 0xFF;
	p[1] = v >> 8;
}

static void
wf_sim_put_u32(guint8 *p, guint32 v)
{
	for (guint i = 0; i < 4; i++)
		p[i] = (v >> (8 * i)) & 0xFF;
}

static void
wf_sim_put_u64(guint8 *p, guint64 v)
{
	for (guint i = 0; i < 8; i++)
		p[i] = (v >> (8 * i)) & 0xFF;
}

/* a fixed-size, NUL-padded char field; callers have checked that @s fits */
static void
wf_sim_put_field(guint8 *p, gsize field_len, const gchar *s)
{
	memset(p, 0, field_len);
	memcpy(p, s, MIN(strlen(s), field_len - 1));
}

static guint32
wf_sim_align4(guint32 v)
{
	return (v + 3u) & ~3u;
}

/* FNV-1a, to seed the pseudo-code of a region from the build identity */
static guint32
wf_sim_hash_str(guint32 h, const gchar *s)
{
	for (; *s != '\0'; s++) {
		h ^= (guint8)*s;
		h *= 16777619u;
	}
	return h;
}

static guint32
wf_sim_xorshift(guint32 *state)
{
	guint32 x = *state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/* SHA-256(label || me_id): per-watch values that differ only where the watch differs */
static void
wf_sim_derive(const guint8 me_id[16], const gchar *label, guint8 out[32])
{
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	gsize len = 32;
	g_checksum_update(sum, (const guchar *)label, strlen(label));
	g_checksum_update(sum, me_id, 16);
	g_checksum_get_digest(sum, out, &len);
}

/*
 * Thumb-looking filler: halfwords from the common instruction classes
 * (mov/cmp/add imm, ldr/str, ldr literal, push/pop, BL pairs, bx lr, b<cond>)
 * and flash literals. Erased flash is 0xFF, so the filler contains no 0xFF at
 * all: a reader can never mistake code for an erased gap.
 */
static void
wf_sim_fill_code(guint8 *p, gsize len, guint32 seed)
{
	guint32 s = seed != 0 ? seed : 0x6261u;
	gsize i = 0;

	while (i < len) {
		guint32 r = wf_sim_xorshift(&s);
		guint16 hw[2];
		guint n = 1;
		switch (r & 0xF) {
		case 0:
		case 1:
		case 2:
		case 3:
		case 4:
			hw[0] = 0x2000 | ((r >> 4) & 0x1FFF);
			break;
		case 5:
		case 6:
		case 7:
			hw[0] = 0x6000 | ((r >> 4) & 0x1FFF);
			break;
		case 8:
			hw[0] = 0x4800 | ((r >> 4) & 0x7FF);
			break;
		case 9:
			hw[0] = 0xB500 | ((r >> 4) & 0xF0);
			break;
		case 10:
			hw[0] = 0xBD00 | ((r >> 4) & 0xF0);
			break;
		case 11:
		case 12:
			hw[0] = 0xF000 | ((r >> 4) & 0x7FF);
			hw[1] = 0xF800 | ((r >> 15) & 0x6FF);
			n = 2;
			break;
		case 13:
			hw[0] = 0x4770;
			break;
		case 14:
			hw[0] = 0xD000 | ((((r >> 4) & 0xFF) % 14) << 8) | ((r >> 12) & 0xFF);
			break;
		default: {
			guint32 lit = WF_SIM_XIP_BASE | ((r >> 4) & 0x3FFFFC);
			hw[0] = lit & 0xFFFF;
			hw[1] = lit >> 16;
			n = 2;
			break;
		}
		}
		for (guint k = 0; k < n; k++) {
			guint8 b[2];
			wf_sim_put_u16(b, hw[k]);
			for (guint j = 0; j < 2 && i < len; j++)
				p[i++] = b[j] == 0xFF ? 0xEF : b[j];
		}
	}
}

/* a GFH chain ends at the first byte that is not 'M', so code must not start with one */
static void
wf_sim_fill_code_after_chain(guint8 *p, gsize len, guint32 seed)
{
	wf_sim_fill_code(p, len, seed);
	if (len > 0 && p[0] == 'M')
		p[0] = 'L';
}

static guint32
wf_sim_code_seed(const WfSimImageSpec *spec, const gchar *region)
{
	guint32 h = 2166136261u;
	h = wf_sim_hash_str(h, region);
	h = wf_sim_hash_str(h, spec->project);
	return wf_sim_hash_str(h, spec->verno);
}

/* ---- GFH records ---------------------------------------------------------------------------- */

/* writes the 8-byte common header, zeroes the body and returns it */
static guint8 *
wf_sim_gfh_record(guint8 *p, guint8 version, guint16 size, guint16 type)
{
	memset(p, 0, size);
	memcpy(p, "MMM", 3);
	p[3] = version;
	wf_sim_put_u16(p + 4, size);
	wf_sim_put_u16(p + 6, type);
	return p + 8;
}

static void
wf_sim_gfh_file_info(guint8 *p, const WfSimFileInfo *fi)
{
	wf_sim_gfh_record(p, 1, WF_SIM_GFH_FILE_INFO_SIZE, 0x0000);
	memcpy(p + 0x08, "FILE_INFO", 9);
	wf_sim_put_u32(p + 0x14, 1);
	wf_sim_put_u16(p + 0x18, fi->file_type);
	p[0x1A] = WF_SIM_DEV_SERIAL_FLASH;
	p[0x1B] = fi->sig_type;
	wf_sim_put_u32(p + 0x1C, fi->load_addr);
	wf_sim_put_u32(p + 0x20, fi->file_len);
	wf_sim_put_u32(p + 0x24, 0xFFFFFFFF);
	wf_sim_put_u32(p + 0x28, fi->content_offset);
	wf_sim_put_u32(p + 0x2C, fi->sig_len);
	wf_sim_put_u32(p + 0x30, fi->jump_offset);
	wf_sim_put_u32(p + 0x34, fi->attr);
}

/* BL_INFO + ARM_BL_INFO, shaped like both SIM868 bootloaders; returns bytes written */
static guint32
wf_sim_gfh_bl_info(guint8 *p, guint32 bl_info_value)
{
	guint8 *body = wf_sim_gfh_record(p, 1, 0x0C, 0x0001);
	wf_sim_put_u32(body, bl_info_value);
	body = wf_sim_gfh_record(p + 0x0C, 1, 0x1C, 0x0209);
	wf_sim_put_u32(body, 1);
	wf_sim_put_u32(body + 4, 0x560);
	return 0x0C + 0x1C;
}

/* ---- validation and planning --------------------------------------------------------------- */

static gboolean
wf_sim_image_check_string(const gchar *value, const gchar *what, GError **error)
{
	if (value == NULL || value[0] == '\0') {
		g_set_error(error, WF_ERROR, WF_ERROR_INVALID_DATA, "sim image: %s is empty", what);
		return FALSE;
	}
	if (strlen(value) >= WF_SIM_STRING_MAX) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "sim image: %s is longer than %u characters",
			    what,
			    WF_SIM_STRING_MAX - 1);
		return FALSE;
	}
	return TRUE;
}

static const gchar *const *
wf_sim_image_codes(const WfSimImageSpec *spec)
{
	return spec->secret_codes != NULL ? spec->secret_codes : wf_sim_default_codes;
}

static gboolean
wf_sim_image_check_strings(const WfSimImageSpec *spec, GError **error)
{
	const gchar *const *codes = wf_sim_image_codes(spec);
	guint n_codes = 0;

	if (!wf_sim_image_check_string(spec->platform, "platform", error) ||
	    !wf_sim_image_check_string(spec->branch, "branch", error) ||
	    !wf_sim_image_check_string(spec->project, "project", error) ||
	    !wf_sim_image_check_string(spec->verno, "verno", error) ||
	    !wf_sim_image_check_string(spec->build_date, "build date", error))
		return FALSE;
	if (spec->lcd_driver != NULL &&
	    !wf_sim_image_check_string(spec->lcd_driver, "LCD driver", error))
		return FALSE;
	if (spec->touch_driver != NULL &&
	    !wf_sim_image_check_string(spec->touch_driver, "touch driver", error))
		return FALSE;
	for (; codes[n_codes] != NULL; n_codes++) {
		gsize len = strlen(codes[n_codes]);
		if (len == 0 || len >= WF_SIM_CODE_MAX) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "sim image: secret code %u has a bad length",
				    n_codes);
			return FALSE;
		}
	}
	if (n_codes > WF_SIM_CODES_MAX) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "sim image: more than %u secret codes",
			    WF_SIM_CODES_MAX);
		return FALSE;
	}
	return TRUE;
}

static gboolean
wf_sim_image_plan_cmem(const WfSimImageSpec *spec, WfSimImagePlan *plan, GError **error)
{
	const guint8(*lists[3])[3] = {&spec->jedec, wf_sim_real_flash_ids, spec->extra_flash_ids};
	guint counts[3] = {1, G_N_ELEMENTS(wf_sim_real_flash_ids), spec->n_extra_flash_ids};

	if (spec->n_extra_flash_ids > 0 && spec->extra_flash_ids == NULL) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "sim image: extra flash ids counted but not given");
		return FALSE;
	}
	/* the watch's own id first, like SIM868 lists the chip FLASH_INFO names first */
	for (guint l = 0; l < G_N_ELEMENTS(lists); l++) {
		for (guint i = 0; i < counts[l]; i++) {
			gboolean dup = FALSE;
			for (guint k = 0; k < plan->n_cmem && !dup; k++)
				dup = memcmp(plan->cmem_ids[k], lists[l][i], 3) == 0;
			if (dup)
				continue;
			if (plan->n_cmem == WF_SIM_IMAGE_MAX_FLASH_IDS) {
				g_set_error(error,
					    WF_ERROR,
					    WF_ERROR_INVALID_DATA,
					    "sim image: more than %u flash ids",
					    WF_SIM_IMAGE_MAX_FLASH_IDS);
				return FALSE;
			}
			memcpy(plan->cmem_ids[plan->n_cmem++], lists[l][i], 3);
		}
	}
	return TRUE;
}

static guint32
wf_sim_image_cmem_record_size(guint n_ids)
{
	return wf_sim_align4(8 + 8 + 10 * n_ids);
}

/* NUL-terminated strings back to back, the way MAUI's string tables look */
static void
wf_sim_append_cstr(GString *s, const gchar *str)
{
	g_string_append_len(s, str, strlen(str) + 1);
}

static GBytes *
wf_sim_image_zimage_payload_new(const WfSimImageSpec *spec)
{
	GString *s = g_string_new(NULL);
	g_autofree gchar *title = g_strdup_printf("PLUTO_MMI ZIMAGE resources %s", spec->verno);

	wf_sim_append_cstr(s, title);
	for (guint l = 0; l < G_N_ELEMENTS(wf_sim_languages); l++) {
		for (guint i = 0; i < G_N_ELEMENTS(wf_sim_menu_texts); i++) {
			g_autofree gchar *line = g_strdup_printf(
				"STR_%s_%03u %s", wf_sim_languages[l], i, wf_sim_menu_texts[i]);
			wf_sim_append_cstr(s, line);
		}
	}
	if (spec->compress_codes) {
		const gchar *const *codes = wf_sim_image_codes(spec);
		for (guint i = 0; codes[i] != NULL; i++)
			wf_sim_append_cstr(s, codes[i]);
	}
	wf_sim_append_cstr(s, "ZIMAGE_END");
	return g_string_free_to_bytes(s);
}

/*
 * A real LZMA-alone stream with the SIM868 parameters (lc2 lp0 pb2 = props
 * 0x5C, 4 MiB dictionary). lzma_alone_encoder writes "size unknown" and an
 * end marker; the header is then patched to the real size as MediaTek's
 * files carry it. liblzma's .lzma decoder (5.4 on Debian 12) accepts a known
 * size followed by an end marker.
 */
static GBytes *
wf_sim_image_lzma_alone(GBytes *payload, GError **error)
{
	lzma_options_lzma opt;
	lzma_stream strm = LZMA_STREAM_INIT;
	lzma_ret ret;
	gsize in_len = 0;
	const guint8 *in = g_bytes_get_data(payload, &in_len);
	gsize out_cap = in_len + in_len / 2 + 4096;
	g_autofree guint8 *out = g_malloc(out_cap);

	if (lzma_lzma_preset(&opt, 1)) {
		g_set_error_literal(
			error, WF_ERROR, WF_ERROR_INTERNAL, "sim image: no LZMA preset");
		return NULL;
	}
	opt.dict_size = WF_SIM_LZMA_DICT;
	opt.lc = 2;
	opt.lp = 0;
	opt.pb = 2;
	ret = lzma_alone_encoder(&strm, &opt);
	if (ret != LZMA_OK) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INTERNAL,
			    "sim image: LZMA encoder init failed (%d)",
			    (gint)ret);
		return NULL;
	}
	strm.next_in = in;
	strm.avail_in = in_len;
	strm.next_out = out;
	strm.avail_out = out_cap;
	ret = lzma_code(&strm, LZMA_FINISH);
	while (ret == LZMA_OK && strm.avail_out == 0) {
		gsize done = out_cap;
		out_cap *= 2;
		out = g_realloc(out, out_cap);
		strm.next_out = out + done;
		strm.avail_out = out_cap - done;
		ret = lzma_code(&strm, LZMA_FINISH);
	}
	if (ret != LZMA_STREAM_END) {
		lzma_end(&strm);
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INTERNAL,
			    "sim image: LZMA encoding failed (%d)",
			    (gint)ret);
		return NULL;
	}
	wf_sim_put_u64(out + 5, in_len);
	{
		gsize out_len = strm.total_out;
		lzma_end(&strm);
		return g_bytes_new_take(g_steal_pointer(&out), out_len);
	}
}

static gboolean
wf_sim_image_check_size(gsize flash_size, GError **error)
{
	if (flash_size == 4 * WF_SIM_IMAGE_MIB || flash_size == 8 * WF_SIM_IMAGE_MIB ||
	    flash_size == 16 * WF_SIM_IMAGE_MIB)
		return TRUE;
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_NOT_SUPPORTED,
		    "sim image: flash size 0x%" G_GSIZE_MODIFIER "x is not 4, 8 or 16 MiB",
		    flash_size);
	return FALSE;
}

/* one region must end before the next begins; 64-bit so no sum can wrap */
static gboolean
wf_sim_image_check_order(guint64 end, guint64 next, const gchar *a, const gchar *b, GError **error)
{
	if (end <= next)
		return TRUE;
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_INVALID_DATA,
		    "sim image: %s (ends 0x%" G_GINT64_MODIFIER
		    "x) overlaps %s (0x%" G_GINT64_MODIFIER "x)",
		    a,
		    end,
		    b,
		    next);
	return FALSE;
}

static gboolean
wf_sim_image_check_regions(const WfSimImageSpec *spec, GError **error)
{
	if ((spec->bl_offset | spec->ext_bl_offset | spec->rom_offset) & 3u) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "sim image: region offsets must be 4-byte aligned");
		return FALSE;
	}
	if (spec->bl_offset < WF_SIM_HEADER_BLOCK_SIZE) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "sim image: bootloader at 0x%x is inside the header block",
			    spec->bl_offset);
		return FALSE;
	}
	if (spec->bl_len < WF_SIM_BL_CHAIN_LEN + WF_SIM_MIN_CODE_LEN + WF_SIM_MARKER_LEN +
				   WF_SIM_SIG_LEN ||
	    spec->ext_bl_len < WF_SIM_EXT_BL_CHAIN_LEN + WF_SIM_MIN_CODE_LEN + WF_SIM_MARKER_LEN +
				       WF_SIM_SIG_LEN ||
	    spec->rom_len < WF_SIM_ROM_MIN_LEN) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "sim image: a region length is too small");
		return FALSE;
	}
	return wf_sim_image_check_order((guint64)spec->bl_offset + spec->bl_len,
					spec->ext_bl_offset,
					"BOOTLOADER",
					"EXT_BOOTLOADER",
					error) &&
	       wf_sim_image_check_order((guint64)spec->ext_bl_offset + spec->ext_bl_len,
					spec->rom_offset,
					"EXT_BOOTLOADER",
					"ROM",
					error);
}

static gboolean
wf_sim_image_plan(const WfSimImageSpec *spec, WfSimImagePlan *plan, GError **error)
{
	WfSimImageLayout *l = &plan->layout;
	guint64 end;
	g_autofree gchar *pure_verno = NULL;

	if (!wf_sim_image_check_size(spec->flash_size, error) ||
	    !wf_sim_image_check_strings(spec, error) || !wf_sim_image_check_regions(spec, error) ||
	    !wf_sim_image_plan_cmem(spec, plan, error))
		return FALSE;
	if (spec->compress_codes && !spec->include_viva) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "sim image: compressed secret codes need the VIVA region");
		return FALSE;
	}

	/* MAUI names the bin <project>_PCB01_gprs_<platform>_S00.<verno with . as _>.bin */
	pure_verno = g_strdelimit(g_strdup(spec->verno), ".", '_');
	plan->bin_name = g_strdup_printf(
		"%s_PCB01_gprs_%s_S00.%s.bin", spec->project, spec->platform, pure_verno);
	if (strlen(plan->bin_name) >= WF_SIM_MAUI_NAME_LEN) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "sim image: bin name %s is too long",
			    plan->bin_name);
		return FALSE;
	}
	plan->rom_chain_len = WF_SIM_GFH_FILE_INFO_SIZE + WF_SIM_MAUI_INFO_SIZE +
			      WF_SIM_FLASH_INFO_SIZE + WF_SIM_CBR_INFO_SIZE + WF_SIM_MBA_INFO_SIZE +
			      wf_sim_image_cmem_record_size(plan->n_cmem);

	l->bl_offset = spec->bl_offset;
	l->bl_len = spec->bl_len;
	l->ext_bl_offset = spec->ext_bl_offset;
	l->ext_bl_len = spec->ext_bl_len;
	l->rom_offset = spec->rom_offset;
	l->rom_len = spec->rom_len;
	/* FS = the last eighth of the chip minus 8 KiB: 0x380000/0x7E000 on 4 MiB like SIM868 */
	l->fs_offset = spec->flash_size - spec->flash_size / 8;
	l->fs_len = spec->flash_size / 8 - WF_SIM_FS_RESERVED;
	end = (guint64)spec->rom_offset + spec->rom_len;
	if (!wf_sim_image_check_order(end, l->fs_offset, "ROM", "the file system", error))
		return FALSE;

	if (spec->include_viva) {
		plan->zimage_payload = wf_sim_image_zimage_payload_new(spec);
		plan->zimage_stream = wf_sim_image_lzma_alone(plan->zimage_payload, error);
		if (plan->zimage_stream == NULL)
			return FALSE;
		l->viva_offset = wf_sim_align4(spec->rom_offset + spec->rom_len) + WF_SIM_VIVA_GAP;
		l->viva_len = WF_SIM_ZIMAGE_OFFSET + WF_SIM_ZIMAGE_HDR_LEN +
			      g_bytes_get_size(plan->zimage_stream);
		end = (guint64)l->viva_offset + l->viva_len;
	}
	return wf_sim_image_check_order(
		end, l->fs_offset, spec->include_viva ? "VIVA" : "ROM", "the file system", error);
}

/* ---- writers -------------------------------------------------------------------------------- */

static void
wf_sim_write_bl_desc(guint8 *p, guint16 file_type, guint32 begin, guint32 len)
{
	wf_sim_put_u32(p, WF_SIM_BL_DESC_MAGIC);
	p[4] = WF_SIM_DEV_SERIAL_FLASH;
	p[5] = 0;
	wf_sim_put_u16(p + 6, file_type);
	wf_sim_put_u32(p + 8, begin);
	wf_sim_put_u32(p + 12, begin + len);
	wf_sim_put_u32(p + 16, 1);
}

/* SF_BOOT header at 0 and the 180-byte BRLYT record at 0x200 (§2.2, verified with MediaTek's DA) */
static void
wf_sim_write_header_block(guint8 *img, const WfSimImageLayout *l)
{
	guint8 *sf = img;
	guint8 *brlyt = img + WF_SIM_SF_DEV_RW_UNIT;

	memset(sf, 0, 20);
	memcpy(sf, "SF_BOOT", 7);
	wf_sim_put_u32(sf + 0x0C, 1);
	wf_sim_put_u32(sf + 0x10, WF_SIM_SF_DEV_RW_UNIT);

	memset(brlyt, 0, 0x14);
	memcpy(brlyt, "BRLYT", 5);
	wf_sim_put_u32(brlyt + 0x08, 1);
	wf_sim_put_u32(brlyt + 0x0C, l->bl_offset);
	wf_sim_put_u32(brlyt + 0x10, l->rom_offset);
	wf_sim_write_bl_desc(brlyt + 0x14, WF_SIM_FT_ARM_BL, l->bl_offset, l->bl_len);
	wf_sim_write_bl_desc(brlyt + 0x14 + WF_SIM_BL_DESC_SIZE,
			     WF_SIM_FT_ARM_EXT_BL,
			     l->ext_bl_offset,
			     l->ext_bl_len);
	/* slots 2..7 stay 0xFF (unused), as the buffer was erased */
}

/* code up to the "\0DNE" marker, then SHA-1 over everything before the signature */
static void
wf_sim_write_bl_body(guint8 *p, guint32 chain_len, guint32 file_len, guint32 seed)
{
	guint32 marker = file_len - WF_SIM_SIG_LEN - WF_SIM_MARKER_LEN;
	g_autoptr(GChecksum) sha1 = g_checksum_new(G_CHECKSUM_SHA1);
	gsize digest_len = 20;

	wf_sim_fill_code_after_chain(p + chain_len, marker - chain_len, seed);
	memcpy(p + marker, "\0DNE", WF_SIM_MARKER_LEN);
	g_checksum_update(sha1, p, file_len - WF_SIM_SIG_LEN);
	memset(p + file_len - WF_SIM_SIG_LEN, 0, WF_SIM_SIG_LEN);
	g_checksum_get_digest(sha1, p + file_len - WF_SIM_SIG_LEN, &digest_len);
}

static void
wf_sim_write_bootloader(guint8 *img, const WfSimImageSpec *spec, const WfSimImageLayout *l)
{
	guint8 *p = img + l->bl_offset;
	guint8 *body;
	guint32 off = WF_SIM_GFH_FILE_INFO_SIZE;
	WfSimFileInfo fi = {
		.file_type = WF_SIM_FT_ARM_BL,
		.sig_type = WF_SIM_SIG_PHASH,
		.load_addr = WF_SIM_BL_LOAD_ADDR,
		.file_len = l->bl_len,
		.content_offset = WF_SIM_BL_CHAIN_LEN,
		.sig_len = WF_SIM_SIG_LEN,
		.jump_offset = WF_SIM_BL_CHAIN_LEN,
		.attr = WF_SIM_ATTR_POST_BUILD,
	};

	wf_sim_gfh_file_info(p, &fi);
	/* BROM_CFG v3 */
	body = wf_sim_gfh_record(p + off, 3, 0x64, 0x0007);
	wf_sim_put_u32(body, 3);
	wf_sim_put_u32(body + 4, 3000);
	off += 0x64;
	off += wf_sim_gfh_bl_info(p + off, 1);
	/* EMI_LIST v5 with one "EMI_INF" entry, values as in the SIM868 bootloader */
	body = wf_sim_gfh_record(p + off, 5, 0x4C, 0x0101);
	wf_sim_put_u32(body, 5);
	body[7] = 0x01;
	memcpy(body + 8, "EMI_INF", 7);
	wf_sim_put_u32(body + 0x10, 0x11);
	wf_sim_put_u32(body + 0x14, 1);
	for (guint i = 0; i < 4; i++)
		wf_sim_put_u16(body + 0x34 + 2 * i, 1);
	wf_sim_put_u32(body + 0x3C, 0x5000);
	wf_sim_put_u32(body + 0x40, 0x1001);
	off += 0x4C;
	/* BROM_SEC_CFG */
	body = wf_sim_gfh_record(p + off, 1, 0x30, 0x0008);
	wf_sim_put_u32(body, 2);
	memcpy(body + 4, "MTK", 3);
	off += 0x30;
	g_assert(off == WF_SIM_BL_CHAIN_LEN);

	wf_sim_write_bl_body(p, off, l->bl_len, wf_sim_code_seed(spec, "BOOTLOADER"));
}

static void
wf_sim_write_ext_bootloader(guint8 *img, const WfSimImageSpec *spec, const WfSimImageLayout *l)
{
	guint8 *p = img + l->ext_bl_offset;
	guint32 off = WF_SIM_GFH_FILE_INFO_SIZE;
	WfSimFileInfo fi = {
		.file_type = WF_SIM_FT_ARM_EXT_BL,
		.sig_type = WF_SIM_SIG_PHASH,
		.load_addr = WF_SIM_XIP_BASE + l->ext_bl_offset,
		.file_len = l->ext_bl_len,
		.content_offset = WF_SIM_EXT_BL_CHAIN_LEN,
		.sig_len = WF_SIM_SIG_LEN,
		.jump_offset = WF_SIM_EXT_BL_CHAIN_LEN,
		.attr = WF_SIM_ATTR_POST_BUILD | WF_SIM_ATTR_XIP,
	};

	wf_sim_gfh_file_info(p, &fi);
	off += wf_sim_gfh_bl_info(p + off, 0);
	g_assert(off == WF_SIM_EXT_BL_CHAIN_LEN);
	wf_sim_write_bl_body(p, off, l->ext_bl_len, wf_sim_code_seed(spec, "EXT_BOOTLOADER"));
}

static guint32
wf_sim_write_rom_gfh(guint8 *p, const WfSimImageSpec *spec, const WfSimImagePlan *plan)
{
	const WfSimImageLayout *l = &plan->layout;
	guint8 *body;
	guint32 off = WF_SIM_GFH_FILE_INFO_SIZE;
	guint32 cmem_size = wf_sim_image_cmem_record_size(plan->n_cmem);
	WfSimFileInfo fi = {
		.file_type = WF_SIM_FT_PRIMARY_MAUI,
		.sig_type = WF_SIM_SIG_NONE,
		.load_addr = WF_SIM_XIP_BASE + l->rom_offset,
		.file_len = l->rom_len,
		.content_offset = plan->rom_chain_len,
		.sig_len = 0,
		.jump_offset = plan->rom_chain_len,
		.attr = WF_SIM_ATTR_POST_BUILD | WF_SIM_ATTR_XIP,
	};

	wf_sim_gfh_file_info(p, &fi);
	/* MAUI_INFO v2: bin name at +0x08, VERNO at +0x88, trailing words as in SIM868 */
	body = wf_sim_gfh_record(p + off, 2, WF_SIM_MAUI_INFO_SIZE, 0x0200);
	wf_sim_put_field(body, WF_SIM_MAUI_NAME_LEN, plan->bin_name);
	wf_sim_put_field(body + WF_SIM_MAUI_NAME_LEN, WF_SIM_MAUI_VERNO_LEN, spec->verno);
	wf_sim_put_u32(body + 0xC0, 1);
	wf_sim_put_u32(body + 0xC4, 0x100);
	wf_sim_put_u32(body + 0xD0, 1);
	wf_sim_put_u32(body + 0xDC, 1);
	off += WF_SIM_MAUI_INFO_SIZE;
	/* FLASH_INFO: flash type 3, the chip's id as u16s, then FS base and size */
	body = wf_sim_gfh_record(p + off, 1, WF_SIM_FLASH_INFO_SIZE, 0x0207);
	wf_sim_put_u32(body + 0x08, 3);
	for (guint i = 0; i < 3; i++)
		wf_sim_put_u16(body + 0x0C + 2 * i, spec->jedec[i]);
	wf_sim_put_u32(body + 0x14, l->fs_offset);
	wf_sim_put_u32(body + 0x18, l->fs_len);
	off += WF_SIM_FLASH_INFO_SIZE;
	/* CBR_INFO v2 (empty) and MBA_INFO with the SIM868 values */
	wf_sim_gfh_record(p + off, 2, WF_SIM_CBR_INFO_SIZE, 0x020E);
	off += WF_SIM_CBR_INFO_SIZE;
	body = wf_sim_gfh_record(p + off, 1, WF_SIM_MBA_INFO_SIZE, 0x020F);
	wf_sim_put_u32(body, 5);
	wf_sim_put_u32(body + 4, 0x06000000);
	wf_sim_put_u32(body + 8, 0x07000000);
	off += WF_SIM_MBA_INFO_SIZE;
	/* CMEM_ID_INFO: ver 1, count, {type 3 serial NOR, id_len 3, id[8]} */
	body = wf_sim_gfh_record(p + off, 1, cmem_size, 0x0102);
	wf_sim_put_u32(body, 1);
	wf_sim_put_u32(body + 4, plan->n_cmem);
	for (guint i = 0; i < plan->n_cmem; i++) {
		guint8 *e = body + 8 + 10 * i;
		e[0] = 3;
		e[1] = 3;
		memcpy(e + 2, plan->cmem_ids[i], 3);
	}
	off += cmem_size;
	return off;
}

/* "MTK_ROMINFO_v09": tag, upper-case bin name, VERNO, then a u16 1 as in SIM868 */
static void
wf_sim_write_rominfo(guint8 *p, const WfSimImageSpec *spec, const WfSimImagePlan *plan)
{
	g_autofree gchar *upper = g_ascii_strup(plan->bin_name, -1);

	memset(p, 0, WF_SIM_ROMINFO_LEN);
	memcpy(p, "MTK_ROMINFO_v09", 15);
	wf_sim_put_field(p + 0x10, WF_SIM_MAUI_NAME_LEN, upper);
	wf_sim_put_field(p + 0x90, WF_SIM_MAUI_VERNO_LEN, spec->verno);
	wf_sim_put_u16(p + 0xD2, 1);
}

/*
 * A cluster of NUL-terminated strings inside the code, preceded by four NULs
 * and padded with NULs to 4 bytes (as an ARM compiler's literal data is), so
 * every string is bounded by non-alphanumerics.
 */
static void
wf_sim_write_strings(guint8 *p, const gchar *const *strv)
{
	guint32 off = 4;
	memset(p, 0, 4);
	for (guint i = 0; strv[i] != NULL; i++) {
		gsize len = strlen(strv[i]) + 1;
		memcpy(p + off, strv[i], len);
		off += len;
	}
	memset(p + off, 0, wf_sim_align4(off) - off);
}

static void
wf_sim_write_rom(guint8 *img, const WfSimImageSpec *spec, const WfSimImagePlan *plan)
{
	const WfSimImageLayout *l = &plan->layout;
	guint8 *p = img + l->rom_offset;
	guint32 chain = wf_sim_write_rom_gfh(p, spec, plan);
	g_autofree gchar *branch = g_strdup_printf("%s %s", spec->branch, spec->project);
	g_autofree gchar *hw = g_strdup_printf("%s_HW", spec->project);
	g_autofree gchar *pro = g_strdup_printf("%sPRO", spec->platform);
	const gchar *identity[] = {
		spec->verno, branch, hw, spec->build_date, spec->platform, pro, "PLUTO_MMI", NULL};
	const gchar *drivers[] = {NULL, NULL, NULL};
	guint n_drivers = 0;

	g_assert(chain == plan->rom_chain_len);
	wf_sim_fill_code_after_chain(p + chain, l->rom_len - chain, wf_sim_code_seed(spec, "ROM"));
	wf_sim_write_rominfo(p + WF_SIM_ROMINFO_OFFSET, spec, plan);
	if (spec->lcd_driver != NULL)
		drivers[n_drivers++] = spec->lcd_driver;
	if (spec->touch_driver != NULL)
		drivers[n_drivers++] = spec->touch_driver;

	/* string clusters at 1/4, 1/2 and 3/4 of the ROM; each is far smaller than a quarter */
	wf_sim_write_strings(p + ((l->rom_len / 4) & ~3u), identity);
	if (!spec->compress_codes)
		wf_sim_write_strings(p + ((l->rom_len / 2) & ~3u), wf_sim_image_codes(spec));
	if (n_drivers > 0)
		wf_sim_write_strings(p + ((l->rom_len / 4 * 3) & ~3u), drivers);
}

static void
wf_sim_write_viva(guint8 *img, const WfSimImagePlan *plan)
{
	const WfSimImageLayout *l = &plan->layout;
	guint8 *p = img + l->viva_offset;
	guint32 base = WF_SIM_XIP_BASE + l->viva_offset;
	gsize stream_len = 0;
	const guint8 *stream = g_bytes_get_data(plan->zimage_stream, &stream_len);
	WfSimFileInfo fi = {
		.file_type = WF_SIM_FT_VIVA,
		.sig_type = WF_SIM_SIG_NONE,
		.load_addr = base,
		.file_len = l->viva_len,
		.content_offset = WF_SIM_VIVA_INFO_OFFSET,
		.sig_len = 0,
		.jump_offset = 0,
		.attr = WF_SIM_ATTR_POST_BUILD | WF_SIM_ATTR_XIP,
	};
	guint8 *zimage = p + WF_SIM_ZIMAGE_OFFSET;

	wf_sim_gfh_file_info(p, &fi);
	/* VIVAInfo: viva, zimage, boot_zimage, dcmcmp, alice (0 = absent) */
	wf_sim_put_u32(p + WF_SIM_VIVA_INFO_OFFSET, base);
	wf_sim_put_u32(p + WF_SIM_VIVA_INFO_OFFSET + 4, base + WF_SIM_ZIMAGE_OFFSET);
	memset(p + WF_SIM_VIVA_INFO_OFFSET + 8, 0, 12);
	/* ZIMAGE: one partition {type, src offset, src size, dst offset, dst size} */
	wf_sim_put_u32(zimage, 1);
	wf_sim_put_u32(zimage + 4, WF_SIM_ZIMAGE_PART_TYPE);
	wf_sim_put_u32(zimage + 8, WF_SIM_ZIMAGE_HDR_LEN);
	wf_sim_put_u32(zimage + 12, stream_len);
	wf_sim_put_u32(zimage + 16, 0);
	wf_sim_put_u32(zimage + 20, g_bytes_get_size(plan->zimage_payload));
	memcpy(zimage + WF_SIM_ZIMAGE_HDR_LEN, stream, stream_len);
}

/* ---- NVRAM / file-system tail ------------------------------------------------------------- */

static guint32
wf_sim_write_fs_record(guint8 *p, guint16 lid, const gchar *name, const guint8 *data, guint16 len)
{
	wf_sim_put_u16(p, lid);
	wf_sim_put_u16(p + 2, len);
	wf_sim_put_u32(p + 4, lzma_crc32(data, len, 0));
	memset(p + 8, 0, 4);
	memcpy(p + 8, name, MIN(strlen(name), 4));
	memcpy(p + WF_SIM_FS_REC_HDR, data, len);
	/* padding to 4 stays 0xFF: programmed NOR bits only go 1 -> 0 where data is */
	return wf_sim_align4(WF_SIM_FS_REC_HDR + len);
}

static void
wf_sim_write_fs(guint8 *img, const WfSimImageSpec *spec, const WfSimImageLayout *l)
{
	guint8 *p = img + l->fs_offset;
	guint32 off = WF_SIM_FS_HDR_LEN;
	guint32 n_records = 0;
	g_autofree gchar *imei = wf_sim_image_dup_imei(spec->me_id);
	guint8 imei_field[16] = {0};
	guint8 barcode[64] = {0};
	guint8 bt_addr[6];
	guint8 digest[32];
	guint8 rf_cal[96];
	guint8 adc_cal[16];
	guint32 s;

	memcpy(imei_field, imei, 15);
	off += wf_sim_write_fs_record(p + off, 0x0001, "IMEI", imei_field, sizeof(imei_field));
	n_records++;

	wf_sim_derive(spec->me_id, "barcode", digest);
	memcpy(barcode, "SN", 2);
	for (guint i = 0; i < 10; i++)
		g_snprintf((gchar *)barcode + 2 + 2 * i, 3, "%02X", digest[i]);
	memcpy(barcode + 22, " 10", 3);
	off += wf_sim_write_fs_record(p + off, 0x0002, "BRCD", barcode, sizeof(barcode));
	n_records++;

	wf_sim_image_get_bt_addr(spec->me_id, bt_addr);
	off += wf_sim_write_fs_record(p + off, 0x0003, "BTAD", bt_addr, sizeof(bt_addr));
	n_records++;

	/* calibration: deterministic noise from the me_id, no 0xFF so it never looks erased */
	wf_sim_derive(spec->me_id, "rf-calibration", digest);
	s = (digest[0] | digest[1] << 8 | digest[2] << 16 | (guint32)digest[3] << 24) | 1u;
	for (guint i = 0; i < sizeof(rf_cal); i++)
		rf_cal[i] = wf_sim_xorshift(&s) % 0xFF;
	off += wf_sim_write_fs_record(p + off, 0x0004, "RFCL", rf_cal, sizeof(rf_cal));
	n_records++;

	wf_sim_derive(spec->me_id, "adc-calibration", digest);
	for (guint i = 0; i < 4; i++) {
		/* slope around 0x1000 and a small offset per channel */
		wf_sim_put_u16(adc_cal + 4 * i, 0x0F80 + digest[2 * i] % 0x100);
		wf_sim_put_u16(adc_cal + 4 * i + 2, digest[2 * i + 1] % 0x40);
	}
	off += wf_sim_write_fs_record(p + off, 0x0005, "ADCC", adc_cal, sizeof(adc_cal));
	n_records++;

	g_assert(off <= WF_SIM_FS_SECTOR);
	memset(p, 0, WF_SIM_FS_HDR_LEN);
	memcpy(p, "NVRAM_FS", 8);
	wf_sim_put_u32(p + 0x08, 1);
	wf_sim_put_u32(p + 0x0C, WF_SIM_FS_SECTOR);
	wf_sim_put_u32(p + 0x10, l->fs_len);
	wf_sim_put_u32(p + 0x14, n_records);
	wf_sim_put_u32(p + 0x18, 1);
	wf_sim_put_u32(p + 0x1C, lzma_crc32(p, 0x1C, 0));
}

/* ---- public API ----------------------------------------------------------------------------- */

/**
 * wf_sim_image_spec_init:
 * @spec: the spec to fill
 * @flash_size: 4, 8 or 16 MiB (checked when building)
 * @jedec: the watch's JEDEC flash id
 * @me_id: the watch's ME_ID; only the NVRAM tail depends on it
 *
 * Fills @spec with a DZ09-style MT6261 build at the SIM868 offsets. All
 * strings are static; callers may point them at their own strings, which
 * must outlive the build call.
 */
void
wf_sim_image_spec_init(WfSimImageSpec *spec,
		       gsize flash_size,
		       const guint8 jedec[3],
		       const guint8 me_id[16])
{
	g_return_if_fail(spec != NULL);
	g_return_if_fail(jedec != NULL);
	g_return_if_fail(me_id != NULL);

	memset(spec, 0, sizeof(*spec));
	spec->flash_size = flash_size;
	memcpy(spec->jedec, jedec, 3);
	memcpy(spec->me_id, me_id, 16);
	spec->platform = "MT6261";
	spec->branch = "11CW1352MP";
	spec->project = "GPLUS61A_11C_NX9";
	spec->verno = "VW_DZ09_V1.0_COB_7789HSD_FT6236_EU_IPS_20250301";
	spec->build_date = "2025/03/01 10:00";
	spec->lcd_driver = "ST7789";
	spec->touch_driver = "FT6236";
	spec->include_header_block = TRUE;
	spec->bl_offset = 0x800;
	spec->bl_len = 0x1BC0;
	spec->ext_bl_offset = 0x2400;
	spec->ext_bl_len = 0x6B3C;
	spec->rom_offset = 0xB000;
	spec->rom_len = 0x61A2C;
	spec->include_viva = TRUE;
	spec->compress_codes = FALSE;
	spec->include_fs = TRUE;
}

/**
 * wf_sim_image_get_layout:
 * @spec: a spec
 * @layout: (out): where each region goes
 * @error: a #GError, or %NULL
 *
 * Validates @spec and reports the layout wf_sim_image_build() would use.
 * The VIVA length needs the compressed ZIMAGE, so this runs the encoder.
 *
 * Returns: %FALSE with %WF_ERROR_NOT_SUPPORTED for a flash size other than
 * 4/8/16 MiB, %WF_ERROR_INVALID_DATA for any other bad spec.
 */
gboolean
wf_sim_image_get_layout(const WfSimImageSpec *spec, WfSimImageLayout *layout, GError **error)
{
	g_auto(WfSimImagePlan) plan = {0};

	g_return_val_if_fail(spec != NULL, FALSE);
	g_return_val_if_fail(layout != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!wf_sim_image_plan(spec, &plan, error))
		return FALSE;
	*layout = plan.layout;
	return TRUE;
}

/**
 * wf_sim_image_build:
 * @spec: a spec
 * @error: a #GError, or %NULL
 *
 * Builds the flash image. The same @spec always gives the same bytes.
 *
 * Returns: (transfer full): @spec->flash_size bytes, or %NULL (see
 * wf_sim_image_get_layout() for the errors)
 */
GBytes *
wf_sim_image_build(const WfSimImageSpec *spec, GError **error)
{
	g_auto(WfSimImagePlan) plan = {0};
	g_autofree guint8 *img = NULL;

	g_return_val_if_fail(spec != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!wf_sim_image_plan(spec, &plan, error))
		return NULL;

	img = g_malloc(spec->flash_size);
	memset(img, 0xFF, spec->flash_size);
	if (spec->include_header_block)
		wf_sim_write_header_block(img, &plan.layout);
	wf_sim_write_bootloader(img, spec, &plan.layout);
	wf_sim_write_ext_bootloader(img, spec, &plan.layout);
	wf_sim_write_rom(img, spec, &plan);
	if (spec->include_viva)
		wf_sim_write_viva(img, &plan);
	if (spec->include_fs)
		wf_sim_write_fs(img, spec, &plan.layout);
	return g_bytes_new_take(g_steal_pointer(&img), spec->flash_size);
}

/**
 * wf_sim_image_build_default:
 * @flash_size: 4, 8 or 16 MiB
 * @jedec: the watch's JEDEC flash id
 * @me_id: the watch's ME_ID
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full): the image of wf_sim_image_spec_init()'s spec
 */
GBytes *
wf_sim_image_build_default(gsize flash_size,
			   const guint8 jedec[3],
			   const guint8 me_id[16],
			   GError **error)
{
	WfSimImageSpec spec;

	g_return_val_if_fail(jedec != NULL, NULL);
	g_return_val_if_fail(me_id != NULL, NULL);

	wf_sim_image_spec_init(&spec, flash_size, jedec, me_id);
	return wf_sim_image_build(&spec, error);
}

/**
 * wf_sim_image_get_zimage_payload:
 * @spec: a spec
 *
 * Returns: (transfer full): the bytes the ZIMAGE partition of @spec
 * decompresses to (NUL-terminated strings; the secret codes are among them
 * when @spec->compress_codes is set)
 */
GBytes *
wf_sim_image_get_zimage_payload(const WfSimImageSpec *spec)
{
	g_return_val_if_fail(spec != NULL, NULL);
	g_return_val_if_fail(spec->verno != NULL, NULL);
	return wf_sim_image_zimage_payload_new(spec);
}

/**
 * wf_sim_image_dup_imei:
 * @me_id: the watch's ME_ID
 *
 * Returns: (transfer full): "35" + 12 digits derived from @me_id + the Luhn
 * check digit, as stored in the NVRAM tail
 */
gchar *
wf_sim_image_dup_imei(const guint8 me_id[16])
{
	guint8 digest[32];
	gchar *imei;
	guint sum = 0;

	g_return_val_if_fail(me_id != NULL, NULL);

	wf_sim_derive(me_id, "imei", digest);
	imei = g_malloc0(16);
	imei[0] = '3';
	imei[1] = '5';
	for (guint i = 2; i < 14; i++)
		imei[i] = '0' + digest[i] % 10;
	/* Luhn over 14 digits: every second digit from the left is doubled */
	for (guint i = 0; i < 14; i++) {
		guint d = imei[i] - '0';
		if (i % 2 == 1) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	imei[14] = '0' + (10 - sum % 10) % 10;
	return imei;
}

/**
 * wf_sim_image_get_bt_addr:
 * @me_id: the watch's ME_ID
 * @bt_addr: (out): six bytes, most significant first
 */
void
wf_sim_image_get_bt_addr(const guint8 me_id[16], guint8 bt_addr[6])
{
	guint8 digest[32];

	g_return_if_fail(me_id != NULL);
	g_return_if_fail(bt_addr != NULL);

	wf_sim_derive(me_id, "bt-addr", digest);
	memcpy(bt_addr, digest, 6);
	/* never all zero or all ones, which tools treat as "no address" */
	bt_addr[0] &= 0xFE;
	bt_addr[5] |= 0x01;
}
