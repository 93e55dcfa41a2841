/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-sim-da.h"

#include <string.h>

#include "wf-error.h"
#include "wf-sim-da-flash.h"
#include "wf-sim-memory.h"

/*
 * MediaTek's feature-phone Download Agent v3.2 ("SV5") as the host sees it
 * after JUMP_DA (protocol.md §5, §5.11, §5.12). It cannot run the blob, so
 * it recognises the build from the uploaded stages and plays that build's
 * behaviour over the watch's flash: whatever it writes is what the boot
 * ROM's READ32 window and SFI see afterwards. docs/simulator.md, "Download
 * Agent", lists every choice made where the evidence is thin ([I]).
 *
 * Written from the documents only; it shares no code or constants with the
 * client in src/core.
 */

/* protocol.md §5.1 */
#define WF_SIM_DA_ACK	 0x5A
#define WF_SIM_DA_NACK	 0xA5
#define WF_SIM_DA_CONT	 0x69
#define WF_SIM_DA_SYNC	 0xC0
#define WF_SIM_DA_SOC_OK 0xC1

/* §5.3 */
#define WF_SIM_DA_MAJOR		    3
#define WF_SIM_DA_MINOR		    2
#define WF_SIM_DA_BBCHIP	    0x8E
#define WF_SIM_DA_PARAM_SIZE	    15
#define WF_SIM_DA_RECORD_SIZE	    36
#define WF_SIM_DA_RECORD_ID_WORDS   18 /* four u16 id words, little-endian */
#define WF_SIM_DA_RECORD_TERMINATOR 0x0000FFFFu
#define WF_SIM_DA_MARKER	    0x00000CA2u
#define WF_SIM_DA_REPORT_SIZE	    174
#define WF_SIM_DA_REPORT_WIZ_EXTRA  24 /* six u32 between config and ACKs, content unknown */
#define WF_SIM_DA_REPORT_TAIL	    163
#define WF_SIM_DA_OTP_SIZE	    0x1C0

/* the largest packet D5/D6 accept [I]; hosts use 0x400…0x1000 */
#define WF_SIM_DA_MAX_PACKET 0x10000u

/* §5.5: baud index 1 = 921 600 … 0x0D = 110 */
#define WF_SIM_DA_SPEED_MAX_INDEX 0x0D

/* §5.9 FE: data bus bits 1…15, address lines 1…21 of the 4 MiB PSRAM */
#define WF_SIM_DA_MEMTEST_DATA_BUS   4
#define WF_SIM_DA_MEMTEST_ADDR_BUS   3
#define WF_SIM_DA_MEMTEST_DATA_STEPS 0x0F
#define WF_SIM_DA_MEMTEST_ADDR_STEPS 0x15
#define WF_SIM_DA_PROJECT_ID_SIZE    64
#define WF_SIM_DA_FAT_INFO_SIZE	     28

/* §5.4 */
enum {
	WF_SIM_DA_CMD_CLEAR_POWERKEY = 0xB9,
	WF_SIM_DA_CMD_WIZ_C9 = 0xC9,
	WF_SIM_DA_CMD_SPEED = 0xD2,
	WF_SIM_DA_CMD_MEM = 0xD3,
	WF_SIM_DA_CMD_FORMAT = 0xD4,
	WF_SIM_DA_CMD_WRITE = 0xD5,
	WF_SIM_DA_CMD_READ = 0xD6,
	WF_SIM_DA_CMD_FINISH = 0xD9,
	WF_SIM_DA_CMD_WATCHDOG = 0xDB,
	WF_SIM_DA_CMD_PROJECT_ID = 0xEF,
	WF_SIM_DA_CMD_FAT_INFO = 0xF0,
	WF_SIM_DA_CMD_MEMORY_TEST = 0xFE,
};

/*
 * S_DA_* codes in MediaTek's decimal numbering, which every code seen from a
 * real DA fits (docs/download-agent.md §3); protocol.md §5.1's hex column is
 * off by a few for some of them.
 */
enum {
	WF_SIM_DA_S_DONE = 0,
	WF_SIM_DA_S_NOR_UNSUPPORTED_DEV_ID = 3009,     /* 0xBC1 */
	WF_SIM_DA_S_NOR_PROGRAM_FAILED = 3014,	       /* 0xBC6 */
	WF_SIM_DA_S_NOR_ERASE_FAILED = 3015,	       /* 0xBC7 */
	WF_SIM_DA_S_IN_PROGRESS = 3021,		       /* 0xBCD */
	WF_SIM_DA_S_INVALID_RANGE = 3039,	       /* 0xBDF */
	WF_SIM_DA_S_PROGRAM_AT_ODD_ADDR = 3040,	       /* 0xBE0 */
	WF_SIM_DA_S_PROGRAM_WITH_ODD_LENGTH = 3041,    /* 0xBE1 */
	WF_SIM_DA_S_NFI_NOT_SUPPORT = 3051,	       /* 0xBEB */
	WF_SIM_DA_S_UART_DATA_CKSUM_ERROR = 3064,      /* 0xBF8 */
	WF_SIM_DA_S_HANDSET_ROM_INFO_NOT_FOUND = 3069, /* 0xBFD */
	WF_SIM_DA_S_NOR_OTP_NOT_SUPPORT = 3073,	       /* 0xC01 */
	WF_SIM_DA_S_NOR_OTP_EXIST = 3074,	       /* 0xC02 */
	WF_SIM_DA_S_BLANK_FLASH = 3081,		       /* 0xC09 */
	WF_SIM_DA_S_HEADER_BLOCK_NOT_EXIST = 3170,     /* 0xC62 */
	WF_SIM_DA_S_MAUI_INFO_NOT_EXIST = 3174,	       /* 0xC66 */
	WF_SIM_DA_S_EMMC_FLASH_NOT_FOUND = 3179,       /* 0xC6B */
};

/* the known builds, protocol.md §5.11/§5.12: sizes include the signature */
static const struct {
	WfSimDaProfile profile;
	guint32 stage1_len;
	guint16 stage1_xor16;
	guint32 stage2_len;
	guint16 stage2_xor16;
} wf_sim_da_builds[] = {
	{WF_SIM_DA_PROFILE_SPFT, 0x434, 0xD614, 0x1B4A8, 0x3D14},
	{WF_SIM_DA_PROFILE_WIZ, 0x718, 0xD5AF, 0x1E5C8, 0xE423},
};

struct _WfSimDa {
	GObject parent_instance;
	WfSimFaults *faults;
	gint last_profile;    /* atomic */
	gint last_recognised; /* atomic */
	gint n_sessions;      /* atomic */
};

G_DEFINE_FINAL_TYPE(WfSimDa, wf_sim_da, G_TYPE_OBJECT)

/* one file D3 declared: flash offsets, @end inclusive as on the wire */
typedef struct {
	guint32 start;
	guint32 end;
	guint32 type;
} WfSimDaFile;

/* one run of the DA, from JUMP_DA to reset or silence */
typedef struct {
	WfSimDaContext *ctx;
	WfSimFaults *faults;
	WfSimFlash *flash;
	WfSimDaProfile profile;
	guint64 count[2];     /* bytes per WfSimDirection since JUMP_DA */
	gboolean cut[2];      /* da-disconnect armed for that direction */
	guint64 cut_at[2];    /* … after this many bytes */
	gboolean reset;	      /* the chip resets when the DA ends */
	guint8 nor_cs[2];     /* from the parameter block */
	guint8 qpi_id[3];     /* what the AF probe read */
	guint8 jedec[3];      /* what the 9F probe read */
	guint32 flash_id;     /* the matching flash-table record's id */
	gboolean bad_read;    /* da-bad-read armed */
	guint64 bad_read_at;  /* … for this packet */
	guint64 read_packets; /* readback packets sent this session */
	GArray *files;	      /* of WfSimDaFile, what the last D3 declared */
} WfSimDaSession;

static void
wf_sim_da_finalize(GObject *object)
{
	WfSimDa *self = WF_SIM_DA(object);

	g_clear_object(&self->faults);
	G_OBJECT_CLASS(wf_sim_da_parent_class)->finalize(object);
}

static void
wf_sim_da_class_init(WfSimDaClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_sim_da_finalize;
}

static void
wf_sim_da_init(WfSimDa *self)
{
}

/**
 * wf_sim_da_new:
 * @faults: (nullable): the watch's faults; the DA acts on the da-* ones
 *
 * The emulation. Install it with
 * `wf_sim_watch_set_da_func(watch, wf_sim_da_run, da, g_object_unref)`.
 */
WfSimDa *
wf_sim_da_new(WfSimFaults *faults)
{
	WfSimDa *self;

	g_return_val_if_fail(faults == NULL || WF_IS_SIM_FAULTS(faults), NULL);
	self = g_object_new(WF_TYPE_SIM_DA, NULL);
	self->faults = faults != NULL ? g_object_ref(faults) : wf_sim_faults_new();
	return self;
}

/**
 * wf_sim_da_profile_to_string:
 * @profile: a profile
 *
 * Returns: "spft-v3.2", "wiz-v3.2" or "none"
 */
const gchar *
wf_sim_da_profile_to_string(WfSimDaProfile profile)
{
	switch (profile) {
	case WF_SIM_DA_PROFILE_SPFT:
		return "spft-v3.2";
	case WF_SIM_DA_PROFILE_WIZ:
		return "wiz-v3.2";
	case WF_SIM_DA_PROFILE_NONE:
	default:
		return "none";
	}
}

/**
 * wf_sim_da_profile_for_stages:
 * @stage1_len: bytes uploaded to 0x70007000, signature included
 * @stage1_xor16: the XOR16 the boot ROM answered for them
 * @stage2_len: bytes uploaded to 0x10020000
 * @stage2_xor16: their XOR16
 * @recognised: (out) (optional): %TRUE if a known build matched
 *
 * Returns: the build whose sizes and checksums match, else the SPFT profile
 */
WfSimDaProfile
wf_sim_da_profile_for_stages(guint32 stage1_len,
			     guint16 stage1_xor16,
			     guint32 stage2_len,
			     guint16 stage2_xor16,
			     gboolean *recognised)
{
	for (guint i = 0; i < G_N_ELEMENTS(wf_sim_da_builds); i++) {
		if (wf_sim_da_builds[i].stage1_len == stage1_len &&
		    wf_sim_da_builds[i].stage1_xor16 == stage1_xor16 &&
		    wf_sim_da_builds[i].stage2_len == stage2_len &&
		    wf_sim_da_builds[i].stage2_xor16 == stage2_xor16) {
			if (recognised != NULL)
				*recognised = TRUE;
			return wf_sim_da_builds[i].profile;
		}
	}
	if (recognised != NULL)
		*recognised = FALSE;
	return WF_SIM_DA_PROFILE_SPFT;
}

/**
 * wf_sim_da_get_last_profile:
 * @self: a #WfSimDa
 * @recognised: (out) (optional): whether the last uploaded DA was a known build
 *
 * Returns: the profile the last DA session used; %WF_SIM_DA_PROFILE_NONE if
 *   none ran or the last upload could not run
 */
WfSimDaProfile
wf_sim_da_get_last_profile(WfSimDa *self, gboolean *recognised)
{
	g_return_val_if_fail(WF_IS_SIM_DA(self), WF_SIM_DA_PROFILE_NONE);
	if (recognised != NULL)
		*recognised = g_atomic_int_get(&self->last_recognised);
	return (WfSimDaProfile)g_atomic_int_get(&self->last_profile);
}

/**
 * wf_sim_da_get_n_sessions:
 * @self: a #WfSimDa
 *
 * Returns: how many times a JUMP_DA reached this emulation
 */
guint
wf_sim_da_get_n_sessions(WfSimDa *self)
{
	g_return_val_if_fail(WF_IS_SIM_DA(self), 0);
	return (guint)g_atomic_int_get(&self->n_sessions);
}

/* ---- byte helpers --------------------------------------------------------- */

static void
wf_sim_da_put_u32(guint8 *p, guint32 v)
{
	p[0] = (guint8)(v >> 24);
	p[1] = (guint8)(v >> 16);
	p[2] = (guint8)(v >> 8);
	p[3] = (guint8)v;
}

static void
wf_sim_da_put_u16(guint8 *p, guint16 v)
{
	p[0] = (guint8)(v >> 8);
	p[1] = (guint8)v;
}

static guint32
wf_sim_da_get_u32(const guint8 *p)
{
	return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | p[3];
}

static guint32
wf_sim_da_get_le32(const guint8 *p)
{
	return (guint32)p[0] | ((guint32)p[1] << 8) | ((guint32)p[2] << 16) | ((guint32)p[3] << 24);
}

/* the DA packets' checksum: arithmetic sum of the bytes, mod 0x10000 (§5.6) */
static guint16
wf_sim_da_sum16(const guint8 *buf, gsize len)
{
	guint32 sum = 0;

	for (gsize i = 0; i < len; i++)
		sum += buf[i];
	return (guint16)sum;
}

/* the boot ROM's SEND_DA checksum: XOR of little-endian 16-bit words (§3.3) */
static guint16
wf_sim_da_xor16(const guint8 *buf, gsize len)
{
	guint16 x = 0;

	for (gsize i = 0; i < len; i++)
		x ^= (guint16)buf[i] << ((i & 1) * 8);
	return x;
}

/* ---- the link, with the da-disconnect fault ---------------------------- */

/* da-disconnect: the chip resets, so the port vanishes after the bytes that
 * already crossed, and the watch comes back in BROM mode (§6) */
static gboolean
wf_sim_da_disconnect(WfSimDaSession *s, WfSimDirection direction)
{
	g_info("DA: fault da-disconnect:%s:%" G_GUINT64_FORMAT ": the watch resets",
	       direction == WF_SIM_DIRECTION_OUT ? "out" : "in",
	       s->cut_at[direction]);
	s->cut[direction] = FALSE;
	s->reset = TRUE;
	return FALSE;
}

/* how many of @len bytes may still cross; *cut = the fault fires after them */
static gsize
wf_sim_da_allowance(WfSimDaSession *s, WfSimDirection direction, gsize len, gboolean *cut)
{
	*cut = s->cut[direction] && s->count[direction] + len >= s->cut_at[direction];
	if (!*cut)
		return len;
	return (gsize)(s->cut_at[direction] - s->count[direction]);
}

static gboolean
wf_sim_da_send(WfSimDaSession *s, const guint8 *buf, gsize len)
{
	g_autoptr(GError) error = NULL;
	gboolean cut = FALSE;
	gsize n = wf_sim_da_allowance(s, WF_SIM_DIRECTION_IN, len, &cut);

	if (n > 0 && !wf_sim_da_context_write(s->ctx, buf, n, &error)) {
		g_debug("DA: %s", error->message);
		return FALSE;
	}
	s->count[WF_SIM_DIRECTION_IN] += n;
	if (cut)
		return wf_sim_da_disconnect(s, WF_SIM_DIRECTION_IN);
	return TRUE;
}

static gboolean
wf_sim_da_recv(WfSimDaSession *s, guint8 *buf, gsize len)
{
	g_autoptr(GError) error = NULL;
	gboolean cut = FALSE;
	gsize n = wf_sim_da_allowance(s, WF_SIM_DIRECTION_OUT, len, &cut);

	/* no timeout: the DA waits until the port goes */
	if (n > 0 && !wf_sim_da_context_read(s->ctx, buf, n, 0, &error)) {
		g_debug("DA: %s", error->message);
		return FALSE;
	}
	s->count[WF_SIM_DIRECTION_OUT] += n;
	if (cut)
		return wf_sim_da_disconnect(s, WF_SIM_DIRECTION_OUT);
	return TRUE;
}

static gboolean
wf_sim_da_send_byte(WfSimDaSession *s, guint8 byte)
{
	return wf_sim_da_send(s, &byte, 1);
}

static gboolean
wf_sim_da_send_u32(WfSimDaSession *s, guint32 value)
{
	guint8 buf[4];

	wf_sim_da_put_u32(buf, value);
	return wf_sim_da_send(s, buf, sizeof(buf));
}

static gboolean
wf_sim_da_recv_u32(WfSimDaSession *s, guint32 *value)
{
	guint8 buf[4];

	if (!wf_sim_da_recv(s, buf, sizeof(buf)))
		return FALSE;
	*value = wf_sim_da_get_u32(buf);
	return TRUE;
}

/* the DA's error report: A5 + u32 code (§5.1); the command loop goes on */
static gboolean
wf_sim_da_send_error(WfSimDaSession *s, guint32 code)
{
	guint8 buf[5] = {WF_SIM_DA_NACK};

	g_debug("DA: error %u (0x%X)", code, code);
	wf_sim_da_put_u32(buf + 1, code);
	return wf_sim_da_send(s, buf, sizeof(buf));
}

/* reads until the host sends @want; everything else is ignored */
static gboolean
wf_sim_da_wait_for(WfSimDaSession *s, guint8 want)
{
	for (;;) {
		guint8 b = 0;

		if (!wf_sim_da_recv(s, &b, 1))
			return FALSE;
		if (b == want)
			return TRUE;
		g_debug("DA: 0x%02X ignored while waiting for 0x%02X", b, want);
	}
}

/* ---- start-up, §5.3 -------------------------------------------------------- */

/* the four u16 id words of a serial-NOR record are the JEDEC bytes and 0 */
static gboolean
wf_sim_da_record_matches(const guint8 *record, const guint8 jedec[3])
{
	const guint8 *w = record + WF_SIM_DA_RECORD_ID_WORDS;

	for (guint i = 0; i < 3; i++) {
		if (w[2 * i] != jedec[i] || w[2 * i + 1] != 0)
			return FALSE;
	}
	return w[6] == 0 && w[7] == 0;
}

/*
 * One 36-byte record at a time: 69 = not my flash, 5A = mine, then A5 (and
 * 69 for the WIZ build). A record count that runs out, or the table's
 * terminator, without a match ends the DA with A5 + NOR_UNSUPPORTED_DEV_ID
 * in place of the last 69 [I].
 */
static gboolean
wf_sim_da_negotiate_flash(WfSimDaSession *s, guint32 n_records)
{
	gboolean unknown =
		wf_sim_faults_take_da_fault(s->faults, WF_SIM_DA_FAULT_UNKNOWN_FLASH, NULL, NULL);

	if (unknown)
		g_info("DA: fault da-unknown-flash: no flash record will match");
	for (guint32 i = 0; i < n_records; i++) {
		guint8 record[WF_SIM_DA_RECORD_SIZE];
		guint32 id;

		if (!wf_sim_da_recv(s, record, sizeof(record)))
			return FALSE;
		id = wf_sim_da_get_le32(record);
		/* the DA reads the ids again for every record [X] */
		wf_sim_da_flash_probe(s->flash, s->qpi_id, s->jedec);
		if (!unknown && id != WF_SIM_DA_RECORD_TERMINATOR &&
		    wf_sim_da_record_matches(record, s->jedec)) {
			s->flash_id = id;
			g_debug("DA: flash record %u (id 0x%X) matches", i, id);
			if (!wf_sim_da_send_byte(s, WF_SIM_DA_ACK))
				return FALSE;
			if (!wf_sim_da_flash_unlock(s->flash))
				g_message("DA: the flash did not take the unlock sequence");
			if (!wf_sim_da_send_byte(s, WF_SIM_DA_NACK))
				return FALSE;
			if (s->profile == WF_SIM_DA_PROFILE_WIZ)
				return wf_sim_da_send_byte(s, WF_SIM_DA_CONT);
			return TRUE;
		}
		if (i + 1 == n_records || id == WF_SIM_DA_RECORD_TERMINATOR)
			break;
		if (!wf_sim_da_send_byte(s, WF_SIM_DA_CONT))
			return FALSE;
	}
	g_info("DA: none of the %u flash records matches JEDEC %02X %02X %02X",
	       n_records,
	       s->jedec[0],
	       s->jedec[1],
	       s->jedec[2]);
	wf_sim_da_send_error(s, WF_SIM_DA_S_NOR_UNSUPPORTED_DEV_ID);
	return FALSE;
}

/* the report of §5.3 step 7, field by field; values from the flash model */
static gboolean
wf_sim_da_send_report(WfSimDaSession *s)
{
	guint8 r[WF_SIM_DA_REPORT_SIZE + WF_SIM_DA_REPORT_WIZ_EXTRA] = {0};
	guint32 size = (guint32)wf_sim_flash_get_size(s->flash);
	WfSimDaHeaderBlock header = {0};
	gsize tail = WF_SIM_DA_REPORT_TAIL;
	gboolean bootable;

	/* NOR, 54 bytes */
	wf_sim_da_put_u32(r + 0, WF_SIM_DA_S_DONE);
	memcpy(r + 4, s->nor_cs, 2);
	wf_sim_da_put_u16(r + 6, (guint16)s->flash_id);
	wf_sim_da_put_u32(r + 8, size);
	wf_sim_da_put_u32(r + 12, size);
	for (guint i = 0; i < 3; i++)
		wf_sim_da_put_u16(r + 16 + 2 * i, s->jedec[i]);
	wf_sim_da_put_u32(r + 24, WF_SIM_DA_S_NOR_OTP_EXIST);
	wf_sim_da_put_u32(r + 28, WF_SIM_DA_OTP_SIZE);
	wf_sim_da_put_u16(r + 32, 0xFFFF); /* no second die */
	wf_sim_da_put_u32(r + 46, WF_SIM_DA_S_NOR_OTP_NOT_SUPPORT);
	/* NAND, 35 bytes */
	wf_sim_da_put_u32(r + 54, WF_SIM_DA_S_NFI_NOT_SUPPORT);
	wf_sim_da_put_u16(r + 59, 0xFFFF);
	/* eMMC, 44 bytes */
	wf_sim_da_put_u32(r + 89, WF_SIM_DA_S_EMMC_FLASH_NOT_FOUND);
	/* config, 30 bytes: SRAM, PSRAM (type 1, CS 1), the raw id reads */
	wf_sim_da_put_u32(r + 137, WF_SIM_SRAM_SIZE);
	r[145] = 0x01;
	r[146] = 0x01;
	wf_sim_da_put_u32(r + 147, WF_SIM_PSRAM_SIZE);
	memcpy(r + 151, s->qpi_id, 3);
	memcpy(r + 154, s->jedec, 3);
	/* the WIZ build's six extra words stay 0 [I] */
	if (s->profile == WF_SIM_DA_PROFILE_WIZ)
		tail += WF_SIM_DA_REPORT_WIZ_EXTRA;
	/* the tail says whether the flash holds a bootable image (§5.12) */
	bootable = wf_sim_da_flash_parse_header_block(s->flash, &header);
	r[tail] = WF_SIM_DA_ACK;
	r[tail + 1] = WF_SIM_DA_ACK;
	wf_sim_da_put_u32(r + tail + 2, bootable ? WF_SIM_DA_S_DONE : WF_SIM_DA_S_BLANK_FLASH);
	wf_sim_da_put_u32(r + tail + 6, bootable ? header.boot_style : 0);
	r[tail + 10] = WF_SIM_DA_SOC_OK;
	g_debug("DA: report of %zu bytes, %s flash", tail + 11, bootable ? "bootable" : "blank");
	return wf_sim_da_send(s, r, tail + 11);
}

static gboolean
wf_sim_da_start(WfSimDaSession *s)
{
	const guint8 sync[] = {WF_SIM_DA_SYNC, WF_SIM_DA_MAJOR, WF_SIM_DA_MINOR, WF_SIM_DA_BBCHIP};
	guint8 params[WF_SIM_DA_PARAM_SIZE];
	guint32 n_records, bmt = 0;

	if (!wf_sim_da_send(s, sync, sizeof(sync)))
		return FALSE;
	if (!wf_sim_da_recv(s, params, sizeof(params)))
		return FALSE;
	memcpy(s->nor_cs, params + 3, 2);
	n_records = wf_sim_da_get_u32(params + 11);
	g_debug("DA: DownloadWithoutBatteryOnFlag = %s, %u flash records announced",
		params[0] == WF_SIM_DA_ACK ? "TRUE" : "FALSE",
		n_records);
	if (!wf_sim_da_send_byte(s, WF_SIM_DA_ACK))
		return FALSE;
	if (!wf_sim_da_negotiate_flash(s, n_records))
		return FALSE;
	/* the host's u32 (begin of the BMT pool, always 0), then the marker */
	if (!wf_sim_da_recv_u32(s, &bmt))
		return FALSE;
	if (!wf_sim_da_send_u32(s, WF_SIM_DA_MARKER))
		return FALSE;
	return wf_sim_da_send_report(s);
}

/* ---- D6 READ, §5.6 --------------------------------------------------------- */

static gboolean
wf_sim_da_range_ok(WfSimDaSession *s, guint32 addr, guint32 len)
{
	guint64 size = wf_sim_flash_get_size(s->flash);

	/* flash offsets only: a 0x10000000-based address is past the end [X] */
	return len > 0 && addr < size && len <= size - addr;
}

/* sends one packet + sum16 until the host answers 5A; A5 = again */
static gboolean
wf_sim_da_send_read_packet(WfSimDaSession *s, guint8 *packet, gsize n)
{
	guint16 sum = wf_sim_da_sum16(packet, n);
	gboolean damage = s->bad_read && s->read_packets == s->bad_read_at;

	wf_sim_da_put_u16(packet + n, sum);
	s->read_packets++;
	for (;;) {
		guint8 reply = 0;

		if (damage) {
			/* the bytes arrive damaged once: the sum16 no longer matches */
			g_autofree guint8 *bad = g_memdup2(packet, n + 2);
			g_info("DA: fault da-bad-read:%" G_GUINT64_FORMAT, s->bad_read_at);
			bad[0] ^= 0xFF;
			damage = FALSE;
			s->bad_read = FALSE;
			if (!wf_sim_da_send(s, bad, n + 2))
				return FALSE;
		} else if (!wf_sim_da_send(s, packet, n + 2)) {
			return FALSE;
		}
		do {
			if (!wf_sim_da_recv(s, &reply, 1))
				return FALSE;
		} while (reply != WF_SIM_DA_ACK && reply != WF_SIM_DA_NACK);
		if (reply == WF_SIM_DA_ACK)
			return TRUE;
		g_debug("DA: the host asks for packet %" G_GUINT64_FORMAT " again",
			s->read_packets - 1);
	}
}

static gboolean
wf_sim_da_cmd_read(WfSimDaSession *s)
{
	g_autofree guint8 *packet = NULL;
	guint8 args[9];
	guint32 addr, len, packet_len = 0;

	if (!wf_sim_da_recv(s, args, sizeof(args)))
		return FALSE;
	if (args[0] != 0) {
		g_debug("DA: D6 of storage type %u ignored", args[0]);
		return TRUE;
	}
	addr = wf_sim_da_get_u32(args + 1);
	len = wf_sim_da_get_u32(args + 5);
	if (!wf_sim_da_range_ok(s, addr, len))
		return wf_sim_da_send_error(s, WF_SIM_DA_S_INVALID_RANGE);
	/* the packet length comes after the ACK, or was already sent: both work */
	if (!wf_sim_da_send_byte(s, WF_SIM_DA_ACK) || !wf_sim_da_recv_u32(s, &packet_len))
		return FALSE;
	if (packet_len == 0 || packet_len > WF_SIM_DA_MAX_PACKET)
		return wf_sim_da_send_error(s, WF_SIM_DA_S_INVALID_RANGE);
	g_debug("DA: D6 0x%08X + 0x%X in packets of 0x%X", addr, len, packet_len);
	packet = g_malloc(packet_len + 2);
	for (guint32 done = 0; done < len;) {
		guint32 n = MIN(packet_len, len - done);

		wf_sim_flash_read_mapped(s->flash, addr + done, packet, n);
		if (!wf_sim_da_send_read_packet(s, packet, n))
			return FALSE;
		done += n;
	}
	return TRUE;
}

/* ---- D3 MEM, D5 WRITE, D4 FORMAT, §5.7–5.8 ------------------------------ */

static guint32
wf_sim_da_check_file(WfSimDaSession *s, const WfSimDaFile *file)
{
	guint64 size = wf_sim_flash_get_size(s->flash);

	if (file->end < file->start || file->end >= size)
		return WF_SIM_DA_S_INVALID_RANGE;
	if (file->start & 1)
		return WF_SIM_DA_S_PROGRAM_AT_ODD_ADDR;
	if (((guint64)file->end - file->start + 1) & 1)
		return WF_SIM_DA_S_PROGRAM_WITH_ODD_LENGTH;
	/* sorted by address and apart */
	if (s->files->len > 0 &&
	    file->start <= g_array_index(s->files, WfSimDaFile, s->files->len - 1).end)
		return WF_SIM_DA_S_INVALID_RANGE;
	return WF_SIM_DA_S_DONE;
}

/* erases [start, end] unit by unit with one 5A per unit (D3's progress) */
static gboolean
wf_sim_da_erase_units(
	WfSimDaSession *s, GArray *units, guint32 start, guint32 end, gboolean *failed)
{
	*failed = FALSE;
	for (guint i = 0; i < units->len; i++) {
		const WfSimDaEraseUnit *unit = &g_array_index(units, WfSimDaEraseUnit, i);

		if (!wf_sim_da_flash_erase_unit(s->flash, unit, start, end + 1)) {
			g_info("DA: erasing 0x%06X + 0x%X failed", unit->offset, unit->size);
			*failed = TRUE;
			return wf_sim_da_send_error(s, WF_SIM_DA_S_NOR_ERASE_FAILED);
		}
		if (!wf_sim_da_send_byte(s, WF_SIM_DA_ACK))
			return FALSE;
	}
	return TRUE;
}

static gboolean
wf_sim_da_cmd_mem(WfSimDaSession *s)
{
	guint8 hdr[2];
	guint8 count_ack[2];
	gboolean has_header;

	if (!wf_sim_da_recv(s, hdr, sizeof(hdr)))
		return FALSE;
	g_array_set_size(s->files, 0);
	/* main-region files need an intact header block (§5.12 [X]) */
	has_header = wf_sim_da_flash_parse_header_block(s->flash, NULL);
	for (guint i = 0; i < hdr[1]; i++) {
		guint8 args[12];
		WfSimDaFile file;
		guint32 code;

		if (!wf_sim_da_recv(s, args, sizeof(args)))
			return FALSE;
		file.start = wf_sim_da_get_u32(args);
		file.end = wf_sim_da_get_u32(args + 4);
		file.type = wf_sim_da_get_u32(args + 8);
		if (!has_header) {
			g_info("DA: D3 refused: the flash has no valid header block");
			return wf_sim_da_send_error(s, WF_SIM_DA_S_HEADER_BLOCK_NOT_EXIST);
		}
		code = wf_sim_da_check_file(s, &file);
		if (code != WF_SIM_DA_S_DONE) {
			g_array_set_size(s->files, 0);
			return wf_sim_da_send_error(s, code);
		}
		g_debug("DA: D3 file %u: 0x%06X-0x%06X type 0x%X",
			i,
			file.start,
			file.end,
			file.type);
		g_array_append_val(s->files, file);
		if (!wf_sim_da_send_byte(s, WF_SIM_DA_ACK))
			return FALSE;
	}
	count_ack[0] = hdr[1];
	count_ack[1] = WF_SIM_DA_ACK;
	if (!wf_sim_da_send(s, count_ack, sizeof(count_ack)))
		return FALSE;
	/* pre-erase: per file the unit count, then one 5A per unit erased [I] */
	for (guint i = 0; i < s->files->len; i++) {
		const WfSimDaFile *file = &g_array_index(s->files, WfSimDaFile, i);
		g_autoptr(GArray) units = wf_sim_da_flash_plan_erase(file->start, file->end + 1);
		gboolean failed = FALSE;

		if (!wf_sim_da_send_u32(s, units->len))
			return FALSE;
		if (!wf_sim_da_erase_units(s, units, file->start, file->end, &failed))
			return FALSE;
		if (failed) {
			g_array_set_size(s->files, 0);
			return TRUE;
		}
	}
	return wf_sim_da_send_byte(s, WF_SIM_DA_ACK);
}

/*
 * One `5A + packet + sum16`. A leading A5 aborts the write (*aborted); a bad
 * checksum (or the da-nack fault) gets A5, then 5A, and once the host says
 * 69 the same packet comes again (§5.7).
 */
static gboolean
wf_sim_da_recv_write_packet(
	WfSimDaSession *s, guint8 *packet, gsize n, guint *nacks, gboolean *aborted)
{
	*aborted = FALSE;
	for (;;) {
		guint8 lead = 0;
		gboolean good;

		do {
			if (!wf_sim_da_recv(s, &lead, 1))
				return FALSE;
		} while (lead != WF_SIM_DA_ACK && lead != WF_SIM_DA_NACK);
		if (lead == WF_SIM_DA_NACK) {
			*aborted = TRUE;
			return TRUE;
		}
		if (!wf_sim_da_recv(s, packet, n + 2))
			return FALSE;
		good = wf_sim_da_sum16(packet, n) == ((packet[n] << 8) | packet[n + 1]);
		if (good && *nacks > 0) {
			(*nacks)--;
			good = FALSE;
			g_info("DA: fault da-nack: packet refused, %u more to come", *nacks);
		}
		if (good)
			return TRUE;
		g_debug("DA: write packet refused; waiting for the host's 69");
		if (!wf_sim_da_send_byte(s, WF_SIM_DA_NACK) ||
		    !wf_sim_da_send_byte(s, WF_SIM_DA_ACK))
			return FALSE;
		if (!wf_sim_da_wait_for(s, WF_SIM_DA_CONT))
			return FALSE;
	}
}

/* the packets of one file; *sum = the sum of its packet sums */
static gboolean
wf_sim_da_write_file(WfSimDaSession *s,
		     const WfSimDaFile *file,
		     guint32 packet_len,
		     guint8 *packet,
		     guint *nacks,
		     guint16 *sum,
		     gboolean *stop)
{
	guint64 len = (guint64)file->end - file->start + 1;

	*stop = FALSE;
	*sum = 0;
	for (guint64 done = 0; done < len;) {
		gsize n = (gsize)MIN((guint64)packet_len, len - done);
		gboolean aborted = FALSE;

		if (!wf_sim_da_recv_write_packet(s, packet, n, nacks, &aborted))
			return FALSE;
		if (aborted) {
			g_debug("DA: the host aborted the write");
			*stop = TRUE;
			return TRUE;
		}
		/* NOR physics: this only works on what D3 erased */
		if (!wf_sim_da_flash_program(s->flash, file->start + (guint32)done, packet, n)) {
			g_info("DA: programming 0x%06" G_GINT64_MODIFIER "X failed",
			       file->start + done);
			*stop = TRUE;
			return wf_sim_da_send_error(s, WF_SIM_DA_S_NOR_PROGRAM_FAILED);
		}
		*sum += wf_sim_da_sum16(packet, n);
		if (!wf_sim_da_send_byte(s, WF_SIM_DA_CONT))
			return FALSE;
		done += n;
	}
	return TRUE;
}

static gboolean
wf_sim_da_cmd_write(WfSimDaSession *s)
{
	const guint8 closing[3] = {WF_SIM_DA_ACK, WF_SIM_DA_ACK, WF_SIM_DA_ACK};
	const guint8 ready[2] = {WF_SIM_DA_ACK, WF_SIM_DA_ACK};
	g_autofree guint16 *sums = NULL;
	g_autofree guint8 *packet = NULL;
	guint8 args[5];
	guint32 packet_len;
	guint64 nack_storm = 0;
	guint nacks = 0;

	if (!wf_sim_da_send_byte(s, WF_SIM_DA_ACK) || !wf_sim_da_recv(s, args, sizeof(args)))
		return FALSE;
	packet_len = wf_sim_da_get_u32(args + 1);
	/* nothing declared by D3, or a packet size the DA cannot buffer [I] */
	if (s->files->len == 0 || packet_len == 0 || packet_len > WF_SIM_DA_MAX_PACKET)
		return wf_sim_da_send_error(s, WF_SIM_DA_S_INVALID_RANGE);
	g_debug("DA: D5 erase mode %u, packets of 0x%X", args[0], packet_len);
	if (!wf_sim_da_send(s, ready, sizeof(ready)))
		return FALSE;
	if (wf_sim_faults_take_da_fault(s->faults, WF_SIM_DA_FAULT_NACK, NULL, &nack_storm))
		nacks = (guint)MIN(nack_storm, G_MAXUINT);
	sums = g_new0(guint16, s->files->len);
	packet = g_malloc(packet_len + 2);
	for (guint i = 0; i < s->files->len; i++) {
		gboolean stop = FALSE;

		if (!wf_sim_da_write_file(s,
					  &g_array_index(s->files, WfSimDaFile, i),
					  packet_len,
					  packet,
					  &nacks,
					  &sums[i],
					  &stop))
			return FALSE;
		if (stop)
			return TRUE;
	}
	if (!wf_sim_da_send(s, closing, sizeof(closing)))
		return FALSE;
	/* per file, the sum of its packet sums (= of its bytes) */
	for (guint i = 0; i < s->files->len; i++) {
		guint8 sum[2];

		if (!wf_sim_da_recv(s, sum, sizeof(sum)))
			return FALSE;
		if (((sum[0] << 8) | sum[1]) != sums[i]) {
			g_array_set_size(s->files, 0);
			return wf_sim_da_send_error(s, WF_SIM_DA_S_UART_DATA_CKSUM_ERROR);
		}
		if (!wf_sim_da_send_byte(s, WF_SIM_DA_ACK))
			return FALSE;
	}
	/* written: a second D5 needs a new D3 */
	g_array_set_size(s->files, 0);
	return TRUE;
}

/* D4 progress: {u32 status, u8 percent}, each answered by the host's 5A (B8's framing [I]) */
static gboolean
wf_sim_da_send_progress(WfSimDaSession *s, guint32 status, guint8 percent)
{
	guint8 buf[5];

	wf_sim_da_put_u32(buf, status);
	buf[4] = percent;
	if (!wf_sim_da_send(s, buf, sizeof(buf)))
		return FALSE;
	return wf_sim_da_wait_for(s, WF_SIM_DA_ACK);
}

static gboolean
wf_sim_da_cmd_format(WfSimDaSession *s)
{
	g_autoptr(GArray) units = NULL;
	guint8 args[11];
	guint32 addr, len;
	guint last_percent = 0;

	if (!wf_sim_da_recv(s, args, sizeof(args)))
		return FALSE;
	if (args[0] != 0) {
		g_debug("DA: D4 with first byte 0x%02X ignored", args[0]);
		return TRUE;
	}
	addr = wf_sim_da_get_u32(args + 3);
	len = wf_sim_da_get_u32(args + 7);
	/* the security check (nothing to refuse on a consumer MT6261), then the range */
	if (!wf_sim_da_send_byte(s, WF_SIM_DA_ACK))
		return FALSE;
	if (!wf_sim_da_range_ok(s, addr, len))
		return wf_sim_da_send_error(s, WF_SIM_DA_S_INVALID_RANGE);
	if (!wf_sim_da_send_byte(s, WF_SIM_DA_ACK))
		return FALSE;
	units = wf_sim_da_flash_plan_erase(addr, addr + len);
	g_debug("DA: D4 0x%08X + 0x%X: %u erase units", addr, len, units->len);
	for (guint i = 0; i < units->len; i++) {
		const WfSimDaEraseUnit *unit = &g_array_index(units, WfSimDaEraseUnit, i);
		guint percent = (i + 1) * 100 / units->len;

		if (!wf_sim_da_flash_erase_unit(s->flash, unit, addr, addr + len)) {
			guint8 buf[5];
			wf_sim_da_put_u32(buf, WF_SIM_DA_S_NOR_ERASE_FAILED);
			buf[4] = (guint8)last_percent;
			return wf_sim_da_send(s, buf, sizeof(buf));
		}
		if (percent == last_percent)
			continue;
		last_percent = percent;
		if (!wf_sim_da_send_progress(s,
					     percent == 100 ? WF_SIM_DA_S_DONE
							    : WF_SIM_DA_S_IN_PROGRESS,
					     (guint8)percent))
			return FALSE;
	}
	return TRUE;
}

/* ---- the small commands, §5.5, §5.9 ---------------------------------------- */

/* D2: ACK, echo until C0, wait for 5A, then <rounds> × the 256-byte loop-back */
static gboolean
wf_sim_da_cmd_speed(WfSimDaSession *s)
{
	guint8 args[2];
	guint8 b = 0;

	if (!wf_sim_da_recv(s, args, sizeof(args)))
		return FALSE;
	if (args[0] == 0 || args[0] > WF_SIM_DA_SPEED_MAX_INDEX)
		return wf_sim_da_send_byte(s, WF_SIM_DA_NACK);
	if (!wf_sim_da_send_byte(s, WF_SIM_DA_ACK))
		return FALSE;
	g_debug("DA: D2 speed index %u, %u loop-back rounds", args[0], args[1]);
	/* over USB nothing changes physically; the ritual still runs */
	do {
		if (!wf_sim_da_recv(s, &b, 1) || !wf_sim_da_send_byte(s, b))
			return FALSE;
	} while (b != WF_SIM_DA_SYNC);
	if (!wf_sim_da_wait_for(s, WF_SIM_DA_ACK) || !wf_sim_da_send_byte(s, WF_SIM_DA_ACK))
		return FALSE;
	for (guint round = 0; round < args[1]; round++) {
		for (guint v = 0; v < 256; v++) {
			if (!wf_sim_da_recv(s, &b, 1) || !wf_sim_da_send_byte(s, b))
				return FALSE;
			if (b != v) {
				/* a broken loop-back aborts the DA for good (§5.5) */
				g_info("DA: loop-back got 0x%02X for 0x%02X; the DA stops", b, v);
				return FALSE;
			}
		}
	}
	return TRUE;
}

static gboolean
wf_sim_da_cmd_project_id(WfSimDaSession *s)
{
	guint8 buf[4 + WF_SIM_DA_PROJECT_ID_SIZE] = {0};
	WfSimDaHeaderBlock header;
	gchar verno[WF_SIM_DA_PROJECT_ID_SIZE + 1];

	if (!wf_sim_da_flash_parse_header_block(s->flash, &header))
		return wf_sim_da_send_u32(s, WF_SIM_DA_S_HANDSET_ROM_INFO_NOT_FOUND);
	if (!wf_sim_da_flash_get_verno(s->flash, header.main_region, verno))
		return wf_sim_da_send_u32(s, WF_SIM_DA_S_MAUI_INFO_NOT_EXIST);
	memcpy(buf + 4, verno, strlen(verno));
	return wf_sim_da_send(s, buf, sizeof(buf));
}

/* F0: status, NOR FS address/length, then NAND and eMMC pairs (all 0) */
static gboolean
wf_sim_da_cmd_fat_info(WfSimDaSession *s)
{
	guint8 buf[WF_SIM_DA_FAT_INFO_SIZE] = {0};
	WfSimDaHeaderBlock header;
	guint32 base = 0, size = 0;

	if (wf_sim_da_flash_parse_header_block(s->flash, &header) &&
	    wf_sim_da_flash_get_fs_region(s->flash, header.main_region, &base, &size)) {
		wf_sim_da_put_u32(buf + 4, base);
		wf_sim_da_put_u32(buf + 8, size);
	}
	return wf_sim_da_send(s, buf, sizeof(buf));
}

/* FE: type, start, length, width, test kind, pattern; bus tests step through their lines */
static gboolean
wf_sim_da_cmd_memory_test(WfSimDaSession *s)
{
	guint8 args[24];
	guint32 kind;
	guint steps = 0;

	if (!wf_sim_da_recv(s, args, sizeof(args)))
		return FALSE;
	kind = wf_sim_da_get_u32(args + 16);
	if (kind == WF_SIM_DA_MEMTEST_DATA_BUS)
		steps = WF_SIM_DA_MEMTEST_DATA_STEPS;
	else if (kind == WF_SIM_DA_MEMTEST_ADDR_BUS)
		steps = WF_SIM_DA_MEMTEST_ADDR_STEPS;
	if (!wf_sim_da_send_byte(s, WF_SIM_DA_ACK))
		return FALSE;
	if (steps == 0)
		return wf_sim_da_send_u32(s, WF_SIM_DA_S_DONE);
	if (!wf_sim_da_send_u32(s, WF_SIM_DA_S_IN_PROGRESS) || !wf_sim_da_send_u32(s, 0))
		return FALSE;
	for (guint i = 1; i <= steps; i++) {
		if (!wf_sim_da_wait_for(s, WF_SIM_DA_ACK))
			return FALSE;
		if (!wf_sim_da_send_u32(s, WF_SIM_DA_S_IN_PROGRESS) || !wf_sim_da_send_u32(s, i))
			return FALSE;
	}
	if (!wf_sim_da_wait_for(s, WF_SIM_DA_ACK))
		return FALSE;
	return wf_sim_da_send_u32(s, WF_SIM_DA_S_DONE);
}

/* D9: 5A, the host's mode, then A5 (SP Flash Tool's build) or 5A; the session ends */
static gboolean
wf_sim_da_cmd_finish(WfSimDaSession *s)
{
	guint32 mode = 0;

	if (!wf_sim_da_send_byte(s, WF_SIM_DA_ACK) || !wf_sim_da_recv_u32(s, &mode))
		return FALSE;
	g_debug("DA: FINISH mode %u; the DA stops answering", mode);
	wf_sim_da_send_byte(s,
			    s->profile == WF_SIM_DA_PROFILE_WIZ ? WF_SIM_DA_ACK : WF_SIM_DA_NACK);
	return FALSE;
}

/* DB <timeout u16> <flags u32>: 5A, then the watchdog resets the chip */
static gboolean
wf_sim_da_cmd_watchdog(WfSimDaSession *s)
{
	guint8 args[6];

	if (!wf_sim_da_recv(s, args, sizeof(args)))
		return FALSE;
	if (!wf_sim_da_send_byte(s, WF_SIM_DA_ACK))
		return FALSE;
	g_debug("DA: watchdog armed; the chip resets");
	s->reset = TRUE;
	return FALSE;
}

static gboolean
wf_sim_da_cmd_wiz_c9(WfSimDaSession *s)
{
	guint8 arg = 0;

	if (!wf_sim_da_recv(s, &arg, 1))
		return FALSE;
	return wf_sim_da_send_byte(s, WF_SIM_DA_ACK);
}

/* one command; FALSE = the DA is done (port gone, reset, finish) */
static gboolean
wf_sim_da_dispatch(WfSimDaSession *s, guint8 cmd)
{
	switch (cmd) {
	case WF_SIM_DA_CMD_READ:
		return wf_sim_da_cmd_read(s);
	case WF_SIM_DA_CMD_MEM:
		return wf_sim_da_cmd_mem(s);
	case WF_SIM_DA_CMD_WRITE:
		return wf_sim_da_cmd_write(s);
	case WF_SIM_DA_CMD_FORMAT:
		return wf_sim_da_cmd_format(s);
	case WF_SIM_DA_CMD_SPEED:
		return wf_sim_da_cmd_speed(s);
	case WF_SIM_DA_CMD_PROJECT_ID:
		return wf_sim_da_cmd_project_id(s);
	case WF_SIM_DA_CMD_FAT_INFO:
		return wf_sim_da_cmd_fat_info(s);
	case WF_SIM_DA_CMD_CLEAR_POWERKEY:
		return wf_sim_da_send_byte(s, WF_SIM_DA_ACK);
	case WF_SIM_DA_CMD_MEMORY_TEST:
		return wf_sim_da_cmd_memory_test(s);
	case WF_SIM_DA_CMD_FINISH:
		return wf_sim_da_cmd_finish(s);
	case WF_SIM_DA_CMD_WATCHDOG:
		return wf_sim_da_cmd_watchdog(s);
	case WF_SIM_DA_CMD_WIZ_C9:
		/* only the WIZ build's dispatcher knows C9 (§5.4) */
		if (s->profile == WF_SIM_DA_PROFILE_WIZ)
			return wf_sim_da_cmd_wiz_c9(s);
		break;
	default:
		break;
	}
	/* unknown bytes are ignored without a reply */
	g_debug("DA: byte 0x%02X ignored", cmd);
	return TRUE;
}

/* ---- the session ------------------------------------------------------------ */

/* stage 1 must be the jump target at 0x70007000 and stage 2 must sit intact
 * in PSRAM at 0x10020000, which needs remap 2 before its SEND_DA */
static gboolean
wf_sim_da_find_stages(WfSimDaContext *ctx, guint *stage1, guint *stage2)
{
	WfSimMemory *memory = wf_sim_da_context_get_memory(ctx);
	guint32 jump = wf_sim_da_context_get_jump_addr(ctx);
	g_autoptr(GBytes) data = NULL;
	gboolean have1 = FALSE, have2 = FALSE;
	const guint8 *buf;
	gsize len = 0;

	for (guint i = 0; i < wf_sim_da_context_get_n_blocks(ctx); i++) {
		const WfSimDaBlock *block = wf_sim_da_context_get_block(ctx, i);
		if (block->addr == WF_SIM_DA_STAGE1_ADDR) {
			*stage1 = i;
			have1 = TRUE;
		} else if (block->addr == WF_SIM_DA_STAGE2_ADDR) {
			*stage2 = i;
			have2 = TRUE;
		}
	}
	if (!have1 || jump != WF_SIM_DA_STAGE1_ADDR) {
		g_message("DA: JUMP_DA to 0x%08X is not a DA stage 1 at 0x%08X; nothing answers",
			  jump,
			  WF_SIM_DA_STAGE1_ADDR);
		return FALSE;
	}
	if (!have2) {
		g_message("DA: no stage 2 at 0x%08X, so stage 1 has nothing to run; "
			  "nothing answers",
			  WF_SIM_DA_STAGE2_ADDR);
		return FALSE;
	}
	data = wf_sim_da_context_dup_block_data(ctx, *stage2);
	buf = g_bytes_get_data(data, &len);
	if (wf_sim_memory_get_remap(memory) != WF_SIM_REMAP_FLASH_AT_0 ||
	    wf_sim_da_xor16(buf, len) != wf_sim_da_context_get_block(ctx, *stage2)->checksum) {
		g_message("DA: stage 2 is not in PSRAM at 0x%08X (remap 0xA0510000 = 2 must come "
			  "before its SEND_DA); nothing answers",
			  WF_SIM_DA_STAGE2_ADDR);
		return FALSE;
	}
	return TRUE;
}

static WfSimDaProfile
wf_sim_da_identify(WfSimDaContext *ctx, gboolean *recognised)
{
	const WfSimDaBlock *b1, *b2;
	guint stage1 = 0, stage2 = 0;
	WfSimDaProfile profile;

	*recognised = FALSE;
	if (!wf_sim_da_find_stages(ctx, &stage1, &stage2))
		return WF_SIM_DA_PROFILE_NONE;
	b1 = wf_sim_da_context_get_block(ctx, stage1);
	b2 = wf_sim_da_context_get_block(ctx, stage2);
	profile = wf_sim_da_profile_for_stages(
		b1->len, b1->checksum, b2->len, b2->checksum, recognised);
	if (!*recognised)
		g_message("DA: unknown Download Agent (stage 1: 0x%X bytes, XOR16 0x%04X; stage 2: "
			  "0x%X bytes, XOR16 0x%04X); behaving as %s",
			  b1->len,
			  b1->checksum,
			  b2->len,
			  b2->checksum,
			  wf_sim_da_profile_to_string(profile));
	else
		g_debug("DA: %s", wf_sim_da_profile_to_string(profile));
	return profile;
}

static void
wf_sim_da_session_arm_faults(WfSimDaSession *s)
{
	WfSimDirection direction = WF_SIM_DIRECTION_IN;
	guint64 value = 0;

	if (wf_sim_faults_take_da_fault(
		    s->faults, WF_SIM_DA_FAULT_DISCONNECT, &direction, &value)) {
		s->cut[direction] = TRUE;
		s->cut_at[direction] = value;
	}
	if (wf_sim_faults_take_da_fault(s->faults, WF_SIM_DA_FAULT_BAD_READ, NULL, &value)) {
		s->bad_read = TRUE;
		s->bad_read_at = value;
	}
}

/**
 * wf_sim_da_run:
 * @ctx: the hand-over from the boot ROM
 * @user_data: a #WfSimDa
 *
 * A #WfSimDaFunc: plays the DA the host uploaded until the port goes, the
 * host finishes, or the watchdog resets the chip.
 */
void
wf_sim_da_run(WfSimDaContext *ctx, gpointer user_data)
{
	WfSimDa *self = user_data;
	WfSimDaSession s = {0};
	gboolean recognised = FALSE;

	g_return_if_fail(ctx != NULL);
	g_return_if_fail(WF_IS_SIM_DA(self));

	g_atomic_int_inc(&self->n_sessions);
	s.profile = wf_sim_da_identify(ctx, &recognised);
	g_atomic_int_set(&self->last_profile, s.profile);
	g_atomic_int_set(&self->last_recognised, recognised);
	if (s.profile == WF_SIM_DA_PROFILE_NONE)
		return;
	if (wf_sim_faults_take_da_fault(self->faults, WF_SIM_DA_FAULT_SILENT, NULL, NULL)) {
		g_info("DA: fault da-silent: the DA never syncs");
		return;
	}
	s.ctx = ctx;
	s.faults = self->faults;
	s.flash = wf_sim_da_context_get_flash(ctx);
	s.files = g_array_new(FALSE, FALSE, sizeof(WfSimDaFile));
	wf_sim_da_session_arm_faults(&s);
	if (wf_sim_da_start(&s)) {
		for (;;) {
			guint8 cmd = 0;
			if (!wf_sim_da_recv(&s, &cmd, 1) || !wf_sim_da_dispatch(&s, cmd))
				break;
		}
	}
	if (s.reset)
		wf_sim_da_context_request_reset(ctx);
	g_array_unref(s.files);
}
