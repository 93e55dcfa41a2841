/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "wf-error.h"
#include "wf-sim-da.h"
#include "wf-sim-image.h"
#include "wf-sim-test-util.h"

/*
 * The virtual watch's Download Agent, driven with raw bytes written from
 * protocol.md §4.3, §5 and §6 (not with the client in src/core). The real DA
 * blobs cannot be used, so the stages are synthetic blobs with the known
 * builds' sizes, padded with a correction word so that their XOR16 is the
 * build's.
 */

#define STAGE1_ADDR 0x70007000u
#define STAGE2_ADDR 0x10020000u
#define FLASH_SIZE  (4u * 1024 * 1024)
#define ZEROS_8	    "0000000000000000" /* 8 bytes */
#define ZEROS_16    ZEROS_8 ZEROS_8

typedef enum {
	BUILD_SPFT,
	BUILD_WIZ,
	BUILD_OTHER,
} Build;

static const struct {
	guint32 len1;
	guint16 xor1;
	guint32 len2;
	guint16 xor2;
} builds[] = {
	[BUILD_SPFT] = {0x434, 0xD614, 0x1B4A8, 0x3D14},
	[BUILD_WIZ] = {0x718, 0xD5AF, 0x1E5C8, 0xE423},
	[BUILD_OTHER] = {0x600, 0x1234, 0x18000, 0x4321},
};

/* ---- bytes --------------------------------------------------------------- */

static guint16
xor16(const guint8 *buf, gsize len)
{
	guint16 x = 0;

	for (gsize i = 0; i + 1 < len; i += 2)
		x ^= (guint16)(buf[i] | (buf[i + 1] << 8));
	if (len & 1)
		x ^= buf[len - 1];
	return x;
}

static guint16
sum16(const guint8 *buf, gsize len)
{
	guint32 s = 0;

	for (gsize i = 0; i < len; i++)
		s += buf[i];
	return (guint16)s;
}

static guint32
be32(const guint8 *p)
{
	return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | p[3];
}

static void
fill_random(guint8 *buf, gsize len, guint32 seed)
{
	GRand *rand = g_rand_new_with_seed(seed);

	for (gsize i = 0; i < len; i++)
		buf[i] = (guint8)g_rand_int(rand);
	g_rand_free(rand);
}

/* pseudo-random "code" whose last word makes the XOR16 come out as @target */
static GByteArray *
make_blob(gsize len, guint16 target, guint32 seed)
{
	GByteArray *blob = g_byte_array_sized_new((guint)len);
	guint16 fix;

	g_byte_array_set_size(blob, (guint)len);
	fill_random(blob->data, len - 2, seed);
	fix = xor16(blob->data, len - 2) ^ target;
	blob->data[len - 2] = (guint8)fix;
	blob->data[len - 1] = (guint8)(fix >> 8);
	g_assert_cmpuint(xor16(blob->data, len), ==, target);
	return blob;
}

static void
send_bytes(WfTransport *port, const guint8 *buf, gsize len)
{
	g_autoptr(GError) error = NULL;

	g_assert_true(wf_transport_write(port, buf, len, 2000, NULL, &error));
	g_assert_no_error(error);
}

static void
send_fmt(WfTransport *port, const gchar *format, ...) G_GNUC_PRINTF(2, 3);

static void
send_fmt(WfTransport *port, const gchar *format, ...)
{
	g_autofree gchar *hex = NULL;
	va_list args;

	va_start(args, format);
	hex = g_strdup_vprintf(format, args);
	va_end(args);
	wf_sim_test_send(port, hex);
}

static guint32
read_u32(WfTransport *port)
{
	guint8 buf[4];

	wf_sim_test_read(port, buf, sizeof(buf));
	return be32(buf);
}

static void
assert_lost(WfTransport *port)
{
	g_autoptr(GError) error = NULL;
	guint8 b;
	gsize got = 0;

	g_assert_false(wf_transport_read(port, &b, 1, &got, 2000, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_LOST);
}

/* the DA is still in its command loop: B9 answers 5A */
static void
assert_alive(WfTransport *port)
{
	wf_sim_test_exchange(port, "B9", "5A");
}

/* ---- the watch, the upload and the start-up --------------------------------- */

static WfSimWatch *
new_watch(const gchar *faults)
{
	WfSimConfig config;
	WfSimWatch *watch;

	wf_sim_test_config_init_fast(&config);
	config.faults = g_strdup(faults);
	config.reset_delay_ms = 20;
	config.reappear_gap_ms = 10;
	watch = wf_sim_test_watch_new(&config);
	wf_sim_config_clear(&config);
	return watch;
}

/* a watch whose header block (0x000–0x7FF) reads erased: a bricked one */
static void
damage_header_block(WfSimWatch *watch)
{
	g_autoptr(GBytes) now = wf_sim_watch_dup_flash(watch);
	g_autoptr(GBytes) damaged = NULL;
	g_autoptr(GError) error = NULL;
	guint8 *buf = g_memdup2(g_bytes_get_data(now, NULL), FLASH_SIZE);

	memset(buf, 0xFF, 0x800);
	damaged = g_bytes_new_take(buf, FLASH_SIZE);
	g_assert_true(wf_sim_flash_load(wf_sim_watch_get_flash(watch), damaged, &error));
	g_assert_no_error(error);
}

static void
send_da(WfTransport *port, guint32 addr, const GByteArray *blob, guint32 sig_len)
{
	g_autofree gchar *cmd =
		g_strdup_printf("D7 %08X %08X %08X", addr, (guint32)blob->len, sig_len);
	g_autofree gchar *tail = g_strdup_printf("%04X 0000", xor16(blob->data, blob->len));

	wf_sim_test_exchange(port, cmd, cmd);
	wf_sim_test_expect(port, "0000");
	send_bytes(port, blob->data, blob->len);
	wf_sim_test_expect(port, tail);
}

/* §4.3: remap 2, stage 1 to SRAM, stage 2 to PSRAM, JUMP_DA to stage 1 */
static void
upload(WfTransport *port, Build build, gboolean remap)
{
	g_autoptr(GByteArray) stage1 = make_blob(builds[build].len1, builds[build].xor1, 1 + build);
	g_autoptr(GByteArray) stage2 =
		make_blob(builds[build].len2, builds[build].xor2, 11 + build);

	if (remap)
		wf_sim_test_write32(port, 0xA0510000, 2);
	send_da(port, STAGE1_ADDR, stage1, 0x100);
	send_da(port, STAGE2_ADDR, stage2, 0x100);
	wf_sim_test_exchange(port, "D5 70007000", "D5 70007000 0000");
}

/* a 36-byte flash-table record, little-endian (§4.3) */
static void
put_record(guint8 *r, guint32 id, guint16 w0, guint16 w1, guint16 w2, guint16 w3)
{
	const guint16 words[4] = {w0, w1, w2, w3};

	memset(r, 0, 36);
	for (guint i = 0; i < 4; i++) {
		r[i] = (guint8)(id >> (8 * i));
		r[4 + i] = (guint8)((0x10031000 + id) >> (8 * i));
	}
	r[16] = 1;
	for (guint i = 0; i < 4; i++) {
		r[18 + 2 * i] = (guint8)words[i];
		r[19 + 2 * i] = (guint8)(words[i] >> 8);
	}
}

static void
send_record(WfTransport *port, guint32 id, guint16 w0, guint16 w1, guint16 w2, guint16 w3)
{
	guint8 r[36];

	put_record(r, id, w0, w1, w2, w3);
	send_bytes(port, r, sizeof(r));
}

/* sync, the parameter block with @n_records, the 5A after it (§5.3 steps 1–3) */
static void
begin_startup(WfTransport *port, guint32 n_records)
{
	wf_sim_test_expect(port, "C0 03 02 8E");
	send_fmt(port, "5A 05 FE 0008 00 7007FFFF 02 %08X", n_records);
	wf_sim_test_expect(port, "5A");
}

/*
 * The whole start-up against the default 4 MiB watch (Macronix C2 20 16):
 * two records that are not its flash (69 each), parallel-NOR-style and
 * another JEDEC id, then its record 0x112 (5A A5 [69]); 00000000 →
 * 00000CA2 and the report, returned in @report.
 */
static gsize
startup(WfTransport *port, Build build, guint8 *report)
{
	gsize len = build == BUILD_WIZ ? 198 : 174;

	begin_startup(port, 0x103);
	send_record(port, 0xD2, 0x0001, 0x227E, 0x2226, 0x2203);
	wf_sim_test_expect(port, "69");
	send_record(port, 0xF0, 0x00EF, 0x0040, 0x0016, 0x0000);
	wf_sim_test_expect(port, "69");
	send_record(port, 0x112, 0x00C2, 0x0020, 0x0016, 0x0000);
	wf_sim_test_expect(port, build == BUILD_WIZ ? "5A A5 69" : "5A A5");
	wf_sim_test_exchange(port, "00000000", "00000CA2");
	wf_sim_test_read(port, report, len);
	return len;
}

static WfTransport *
connect_da(WfSimWatch *watch, Build build, guint8 *report, gsize *report_len)
{
	WfTransport *port = wf_sim_test_connect(watch);
	guint8 buf[198];
	gsize len;

	upload(port, build, TRUE);
	len = startup(port, build, report != NULL ? report : buf);
	if (report_len != NULL)
		*report_len = len;
	return port;
}

/* the report of §5.3 for the default watch, as the capture's real watch sent it */
static GByteArray *
expected_report(Build build, const gchar *tail)
{
	g_autofree gchar *hex = g_strconcat(
		/* NOR: status, CS, flash id, size, die 1, JEDEC words, OTP, die 2 */
		"00000000 0008 0112 00400000 00400000 00C2 0020 0016 0000 00000C02 000001C0",
		"FFFF 00000000 " ZEROS_8 " 00000C01 00000000",
		/* NAND: not supported */
		"00000BEB 00 FFFF 00000000 " ZEROS_16 ZEROS_8,
		/* eMMC: not found */
		"00000C6B " ZEROS_16 ZEROS_16 ZEROS_8,
		/* SRAM 0xD000, PSRAM 4 MiB type 1 CS 1, the raw id reads (AF, 9F) */
		"00000000 0000D000 00000000 01 01 00400000 FFFFFF C22016 000000000000",
		build == BUILD_WIZ ? ZEROS_16 ZEROS_8 : "",
		tail,
		NULL);
	return wf_sim_test_parse_hex(hex);
}

/* ---- D6 readback, §5.6 ------------------------------------------------------ */

/* one packet and its sum16; TRUE if they agree */
static gboolean
read_packet(WfTransport *port, guint8 *buf, gsize n)
{
	guint8 sum[2];

	wf_sim_test_read(port, buf, n);
	wf_sim_test_read(port, sum, sizeof(sum));
	return sum16(buf, n) == ((sum[0] << 8) | sum[1]);
}

static void
da_read(WfTransport *port,
	guint32 addr,
	guint32 len,
	guint32 packet_len,
	gboolean len_first,
	guint8 *out)
{
	/* MTKCLIENT sends all 14 bytes at once, old MTREADER waits for the ACK first */
	if (len_first) {
		send_fmt(port, "D6 00 %08X %08X %08X", addr, len, packet_len);
		wf_sim_test_expect(port, "5A");
	} else {
		send_fmt(port, "D6 00 %08X %08X", addr, len);
		wf_sim_test_expect(port, "5A");
		send_fmt(port, "%08X", packet_len);
	}
	for (guint32 done = 0; done < len;) {
		guint32 n = MIN(packet_len, len - done);

		g_assert_true(read_packet(port, out + done, n));
		wf_sim_test_send(port, "5A");
		done += n;
	}
}

/* ---- D3 + D5 write, §5.7 ---------------------------------------------------- */

static void
send_packet(WfTransport *port, const guint8 *data, gsize n, guint16 sum)
{
	g_autofree guint8 *frame = g_malloc(n + 3);

	frame[0] = 0x5A;
	memcpy(frame + 1, data, n);
	frame[n + 1] = (guint8)(sum >> 8);
	frame[n + 2] = (guint8)sum;
	send_bytes(port, frame, n + 3);
}

static void
da_mem(WfTransport *port, guint32 start, gsize len, guint32 expect_units)
{
	send_fmt(port, "D3 A5 01 %08X %08X 00000100", start, start + (guint32)len - 1);
	wf_sim_test_expect(port, "5A");
	wf_sim_test_expect(port, "01 5A");
	g_assert_cmpuint(read_u32(port), ==, expect_units);
	for (guint32 i = 0; i < expect_units; i++)
		wf_sim_test_expect(port, "5A");
	wf_sim_test_expect(port, "5A");
}

static void
da_write_begin(WfTransport *port, guint32 packet_len)
{
	wf_sim_test_exchange(port, "D5", "5A");
	send_fmt(port, "00 %08X", packet_len);
	wf_sim_test_expect(port, "5A 5A");
}

static void
da_write_packets(WfTransport *port, const guint8 *data, gsize len, guint32 packet_len)
{
	for (gsize off = 0; off < len; off += packet_len) {
		gsize n = MIN(packet_len, len - off);

		send_packet(port, data + off, n, sum16(data + off, n));
		wf_sim_test_expect(port, "69");
	}
}

static void
da_write_end(WfTransport *port, const guint8 *data, gsize len)
{
	wf_sim_test_expect(port, "5A 5A 5A");
	send_fmt(port, "%04X", sum16(data, len));
	wf_sim_test_expect(port, "5A");
}

/* flash bytes as the boot ROM's remapped READ32 window shows them */
static void
window_read(WfTransport *port, guint32 offset, guint8 *buf, gsize len)
{
	for (gsize i = 0; i < len; i += 4) {
		guint32 w = wf_sim_test_read32(port, offset + (guint32)i);
		for (gsize j = 0; j < 4 && i + j < len; j++)
			buf[i + j] = (w >> (8 * j)) & 0xFF;
	}
}

/* ---- tests ------------------------------------------------------------------- */

static void
test_profiles(void)
{
	gboolean recognised = FALSE;

	g_assert_cmpint(wf_sim_da_profile_for_stages(0x434, 0xD614, 0x1B4A8, 0x3D14, &recognised),
			==,
			WF_SIM_DA_PROFILE_SPFT);
	g_assert_true(recognised);
	g_assert_cmpint(wf_sim_da_profile_for_stages(0x718, 0xD5AF, 0x1E5C8, 0xE423, &recognised),
			==,
			WF_SIM_DA_PROFILE_WIZ);
	g_assert_true(recognised);
	/* sizes alone are not enough, nor one stage */
	g_assert_cmpint(wf_sim_da_profile_for_stages(0x718, 0xD5AF, 0x1E5C8, 0x0000, &recognised),
			==,
			WF_SIM_DA_PROFILE_SPFT);
	g_assert_false(recognised);
	g_assert_cmpint(wf_sim_da_profile_for_stages(0x434, 0xD614, 0x1E5C8, 0xE423, &recognised),
			==,
			WF_SIM_DA_PROFILE_SPFT);
	g_assert_false(recognised);
	g_assert_cmpstr(wf_sim_da_profile_to_string(WF_SIM_DA_PROFILE_WIZ), ==, "wiz-v3.2");
	g_assert_cmpstr(wf_sim_da_profile_to_string(WF_SIM_DA_PROFILE_SPFT), ==, "spft-v3.2");
}

/* @build's stages give its start-up and report; a valid header block ends it 0 / 0x407 */
static void
test_startup(gconstpointer data)
{
	Build build = GPOINTER_TO_INT(data);
	g_autoptr(WfSimWatch) watch = new_watch(NULL);
	g_autoptr(WfSimDa) da = wf_sim_da_new(NULL);
	g_autoptr(WfTransport) port = NULL;
	g_autoptr(GByteArray) want = expected_report(build, "5A 5A 00000000 00000407 C1");
	WfSimDaProfile profile =
		build == BUILD_WIZ ? WF_SIM_DA_PROFILE_WIZ : WF_SIM_DA_PROFILE_SPFT;
	gboolean recognised = FALSE;
	guint8 report[198];
	gsize len = 0;

	wf_sim_watch_set_da_func(watch, wf_sim_da_run, g_object_ref(da), g_object_unref);
	port = connect_da(watch, build, report, &len);
	g_assert_cmpmem(report, len, want->data, want->len);
	g_assert_cmpint(wf_sim_da_get_last_profile(da, &recognised), ==, profile);
	/* an unknown blob behaves as SP Flash Tool's build */
	g_assert_true(recognised == (build != BUILD_OTHER));
	g_assert_cmpuint(wf_sim_da_get_n_sessions(da), ==, 1);
	assert_alive(port);
}

/* a flash without a valid header block: 3081 S_DA_BLANK_FLASH, boot style 0 (§5.12) */
static void
test_startup_blank(void)
{
	g_autoptr(WfSimWatch) watch = new_watch(NULL);
	g_autoptr(WfTransport) port = NULL;
	g_autoptr(GByteArray) want = expected_report(BUILD_SPFT, "5A 5A 00000C09 00000000 C1");
	guint8 report[198];
	gsize len = 0;

	damage_header_block(watch);
	port = connect_da(watch, BUILD_SPFT, report, &len);
	g_assert_cmpmem(report, len, want->data, want->len);
}

/* a broken BRLYT record is as bad as none */
static void
test_startup_bad_brlyt(void)
{
	g_autoptr(WfSimWatch) watch = new_watch(NULL);
	g_autoptr(WfTransport) port = NULL;
	g_autoptr(GBytes) now = wf_sim_watch_dup_flash(watch);
	g_autoptr(GBytes) changed = NULL;
	g_autoptr(GError) error = NULL;
	guint8 *buf = g_memdup2(g_bytes_get_data(now, NULL), FLASH_SIZE);
	guint8 report[198];

	/* the first bootloader descriptor claims to run past the end of the flash */
	g_assert_cmpmem(buf + 0x200, 5, "BRLYT", 5);
	buf[0x200 + 0x14 + 12 + 3] = 0x7F;
	changed = g_bytes_new_take(buf, FLASH_SIZE);
	g_assert_true(wf_sim_flash_load(wf_sim_watch_get_flash(watch), changed, &error));
	g_assert_no_error(error);
	port = connect_da(watch, BUILD_SPFT, report, NULL);
	g_assert_cmpmem(report + 163, 11, "\x5A\x5A\x00\x00\x0C\x09\x00\x00\x00\x00\xC1", 11);
}

/* stage 1 alone, or stage 2 outside PSRAM: the DA cannot run, nothing answers */
static void
test_startup_no_stage2(void)
{
	g_autoptr(WfSimWatch) watch = new_watch(NULL);
	g_autoptr(WfSimDa) da = wf_sim_da_new(NULL);
	g_autoptr(WfTransport) port = NULL;
	g_autoptr(GByteArray) stage1 = make_blob(0x434, 0xD614, 1);

	wf_sim_watch_set_da_func(watch, wf_sim_da_run, g_object_ref(da), g_object_unref);
	port = wf_sim_test_connect(watch);
	send_da(port, STAGE1_ADDR, stage1, 0x100);
	wf_sim_test_exchange(port, "D5 70007000", "D5 70007000 0000");
	wf_sim_test_expect_silence(port, 100);
	g_assert_cmpint(wf_sim_da_get_last_profile(da, NULL), ==, WF_SIM_DA_PROFILE_NONE);
	g_assert_cmpuint(wf_sim_da_get_n_sessions(da), ==, 1);
}

static void
test_startup_no_remap(void)
{
	g_autoptr(WfSimWatch) watch = new_watch(NULL);
	g_autoptr(WfTransport) port = wf_sim_test_connect(watch);

	/* without remap 2, 0x10020000 is the read-only flash window */
	upload(port, BUILD_SPFT, FALSE);
	wf_sim_test_expect_silence(port, 100);
	g_assert_true(wf_sim_watch_has_port(watch));
}

/* no record matches: A5 + 3009 S_DA_NOR_UNSUPPORTED_DEV_ID instead of the last 69 [I] */
static void
test_startup_no_match(void)
{
	g_autoptr(WfSimWatch) watch = new_watch(NULL);
	g_autoptr(WfTransport) port = wf_sim_test_connect(watch);

	upload(port, BUILD_WIZ, TRUE);
	begin_startup(port, 3);
	send_record(port, 0xD2, 0x00EF, 0x0040, 0x0016, 0x0000);
	wf_sim_test_expect(port, "69");
	send_record(port, 0xD3, 0x00C8, 0x0060, 0x0017, 0x0000);
	wf_sim_test_expect(port, "69");
	send_record(port, 0xD4, 0x00C2, 0x0020, 0x0017, 0x0000);
	wf_sim_test_expect(port, "A5 00000BC1");
	/* the DA has given up */
	wf_sim_test_send(port, "00000000 B9");
	wf_sim_test_expect_silence(port, 100);
}

/* the flat table's terminator (first u32 0x0000FFFF) ends the table too */
static void
test_startup_terminator(void)
{
	g_autoptr(WfSimWatch) watch = new_watch(NULL);
	g_autoptr(WfTransport) port = wf_sim_test_connect(watch);

	upload(port, BUILD_WIZ, TRUE);
	begin_startup(port, 0x108);
	send_record(port, 0xD2, 0x00EF, 0x0040, 0x0016, 0x0000);
	wf_sim_test_expect(port, "69");
	send_record(port, 0x0000FFFF, 0x00C2, 0x0020, 0x0016, 0x0000);
	wf_sim_test_expect(port, "A5 00000BC1");
}

/* the DA unlocks the NOR after the match, as MediaTek's does (WRSR 0x02) */
static void
test_startup_unlocks(void)
{
	g_autoptr(WfSimWatch) watch = new_watch(NULL);
	g_autoptr(WfTransport) port = NULL;
	WfSimFlash *flash = wf_sim_watch_get_flash(watch);

	wf_sim_flash_set_status(flash, 0x1C);
	g_assert_true(wf_sim_flash_get_protected_range(flash, NULL, NULL));
	port = connect_da(watch, BUILD_SPFT, NULL, NULL);
	g_assert_false(wf_sim_flash_get_protected_range(flash, NULL, NULL));
}

static void
test_read(void)
{
	g_autoptr(WfSimWatch) watch = new_watch(NULL);
	g_autoptr(WfTransport) port = connect_da(watch, BUILD_SPFT, NULL, NULL);
	g_autoptr(GBytes) flash = wf_sim_watch_dup_flash(watch);
	const guint8 *f = g_bytes_get_data(flash, NULL);
	g_autofree guint8 *got = g_malloc(0x2345);
	guint8 packet[0x400];

	/* packet length after the ACK, then before it */
	da_read(port, 0xB000, 0x2345, 0x400, FALSE, got);
	g_assert_cmpmem(got, 0x2345, f + 0xB000, 0x2345);
	memset(got, 0, 0x2345);
	da_read(port, 0x1000, 0x2345, 0x1000, TRUE, got);
	g_assert_cmpmem(got, 0x2345, f + 0x1000, 0x2345);
	/* the end of the flash is readable */
	da_read(port, FLASH_SIZE - 0x100, 0x100, 0x400, FALSE, got);
	g_assert_cmpmem(got, 0x100, f + FLASH_SIZE - 0x100, 0x100);

	/* A5 = the same packet again; other bytes are ignored */
	send_fmt(port, "D6 00 %08X %08X %08X", 0x800u, 0x800u, 0x400u);
	wf_sim_test_expect(port, "5A");
	g_assert_true(read_packet(port, packet, 0x400));
	wf_sim_test_send(port, "33 A5");
	g_assert_true(read_packet(port, packet, 0x400));
	g_assert_cmpmem(packet, 0x400, f + 0x800, 0x400);
	wf_sim_test_send(port, "5A");
	g_assert_true(read_packet(port, packet, 0x400));
	g_assert_cmpmem(packet, 0x400, f + 0xC00, 0x400);
	wf_sim_test_send(port, "5A");
	assert_alive(port);
}

/* §5.12 [X]: flash offsets only; 0x10000000-based and past-the-end ranges are refused */
static void
test_read_refused(void)
{
	g_autoptr(WfSimWatch) watch = new_watch(NULL);
	g_autoptr(WfTransport) port = connect_da(watch, BUILD_SPFT, NULL, NULL);

	wf_sim_test_exchange(port, "D6 00 10001000 00000400", "A5 00000BDF");
	/* MTKCLIENT's stray A5 after an error is ignored */
	wf_sim_test_send(port, "A5");
	assert_alive(port);
	wf_sim_test_exchange(port, "D6 00 003FFF00 00000200", "A5 00000BDF");
	wf_sim_test_exchange(port, "D6 00 00000000 00000000", "A5 00000BDF");
	assert_alive(port);
	/* another storage type: ignored without a reply */
	wf_sim_test_send(port, "D6 01 00000000 00000400");
	wf_sim_test_expect_silence(port, 50);
	assert_alive(port);
}

/*
 * D3 + D5 over firmware that is there (the ROM), so only an erase makes the
 * NOR take the new bits; the range ends inside a 4 KiB sector, whose rest
 * must survive. Then the boot ROM, after a watchdog reset, sees the same.
 */
static void
test_write(void)
{
	const guint32 start = 0x20000, len = 0x11800;
	g_autoptr(WfSimWatch) watch = new_watch(NULL);
	g_autoptr(WfTransport) port = connect_da(watch, BUILD_WIZ, NULL, NULL);
	g_autoptr(WfTransport) port2 = NULL;
	g_autoptr(GBytes) before = wf_sim_watch_dup_flash(watch);
	g_autoptr(GBytes) after = NULL;
	g_autofree guint8 *data = g_malloc(len);
	g_autofree guint8 *want = g_memdup2(g_bytes_get_data(before, NULL), FLASH_SIZE);
	g_autofree guint8 *back = g_malloc(len);
	guint8 window[0x100];

	fill_random(data, len, 77);
	memcpy(want + start, data, len);
	/* one 64 KiB block, then two 4 KiB sectors (0x30000, 0x31000) */
	da_mem(port, start, len, 3);
	da_write_begin(port, 0x1000);
	da_write_packets(port, data, len, 0x1000);
	da_write_end(port, data, len);
	assert_alive(port);

	after = wf_sim_watch_dup_flash(watch);
	g_assert_cmpmem(g_bytes_get_data(after, NULL), FLASH_SIZE, want, FLASH_SIZE);
	/* the DA's own readback agrees */
	da_read(port, start, len, 0x1000, TRUE, back);
	g_assert_cmpmem(back, len, data, len);

	/* DB: 5A, then the watchdog resets the chip and the boot ROM comes back */
	wf_sim_test_exchange(port, "DB 0140 00000000", "5A");
	assert_lost(port);
	port2 = wf_sim_test_wait_port(watch);
	g_assert_cmpuint(wf_sim_watch_get_generation(watch), ==, 2);
	wf_sim_test_handshake(port2);
	wf_sim_test_write32(port2, 0xA0510000, 2);
	window_read(port2, start, window, sizeof(window));
	g_assert_cmpmem(window, sizeof(window), data, sizeof(window));
	window_read(port2, start + len - 0x80, window, sizeof(window));
	g_assert_cmpmem(window, sizeof(window), want + start + len - 0x80, sizeof(window));
}

/* a damaged packet gets A5 then 5A; after the host's 69 the packet comes again (§5.7) */
static void
test_write_retransmit(void)
{
	g_autoptr(WfSimWatch) watch = new_watch(NULL);
	g_autoptr(WfTransport) port = connect_da(watch, BUILD_SPFT, NULL, NULL);
	g_autoptr(GBytes) after = NULL;
	guint8 data[0x2000];

	fill_random(data, sizeof(data), 5);
	da_mem(port, 0x3F0000, sizeof(data), 2);
	da_write_begin(port, 0x1000);
	send_packet(port, data, 0x1000, sum16(data, 0x1000) ^ 0x0100);
	wf_sim_test_expect(port, "A5 5A");
	wf_sim_test_send(port, "69");
	da_write_packets(port, data, sizeof(data), 0x1000);
	da_write_end(port, data, sizeof(data));
	after = wf_sim_watch_dup_flash(watch);
	g_assert_cmpmem((const guint8 *)g_bytes_get_data(after, NULL) + 0x3F0000,
			sizeof(data),
			data,
			sizeof(data));
}

/* NOR physics: what was programmed can only lose bits until erased again */
static void
test_write_needs_erase(void)
{
	g_autoptr(WfSimWatch) watch = new_watch(NULL);
	g_autoptr(WfTransport) port = connect_da(watch, BUILD_SPFT, NULL, NULL);
	guint8 data[0x1000], inverse[0x1000];

	fill_random(data, sizeof(data), 9);
	for (gsize i = 0; i < sizeof(data); i++)
		inverse[i] = (guint8)~data[i];
	da_mem(port, 0x200000, sizeof(data) * 2, 2);
	da_write_begin(port, 0x1000);
	da_write_packets(port, data, sizeof(data), 0x1000);
	/* a leading A5 aborts the write */
	wf_sim_test_send(port, "A5");
	assert_alive(port);
	/* again without a new D3: the first packet's range is not erased */
	da_write_begin(port, 0x1000);
	send_packet(port, inverse, sizeof(inverse), sum16(inverse, sizeof(inverse)));
	wf_sim_test_expect(port, "A5 00000BC6");
	assert_alive(port);
}

/* a wrong file checksum is refused with 3064 S_DA_UART_DATA_CKSUM_ERROR */
static void
test_write_bad_file_checksum(void)
{
	g_autoptr(WfSimWatch) watch = new_watch(NULL);
	g_autoptr(WfTransport) port = connect_da(watch, BUILD_SPFT, NULL, NULL);
	guint8 data[0x800];

	fill_random(data, sizeof(data), 3);
	da_mem(port, 0x210000, sizeof(data), 1);
	da_write_begin(port, 0x400);
	da_write_packets(port, data, sizeof(data), 0x400);
	wf_sim_test_expect(port, "5A 5A 5A");
	send_fmt(port, "%04X", (guint16)(sum16(data, sizeof(data)) + 1));
	wf_sim_test_expect(port, "A5 00000BF8");
	assert_alive(port);
}

/* D3's own checks, and D5 with nothing declared */
static void
test_write_refused(void)
{
	g_autoptr(WfSimWatch) watch = new_watch(NULL);
	g_autoptr(WfTransport) port = connect_da(watch, BUILD_SPFT, NULL, NULL);

	wf_sim_test_exchange(port, "D3 A5 01 00400000 00400FFF 00000100", "A5 00000BDF");
	wf_sim_test_exchange(port, "D3 A5 01 00100001 00100FFF 00000100", "A5 00000BE0");
	wf_sim_test_exchange(port, "D3 A5 01 00100000 00100FFE 00000100", "A5 00000BE1");
	/* files must come sorted and apart */
	wf_sim_test_exchange(port, "D3 A5 02 00100000 00100FFF 00000100", "5A");
	wf_sim_test_exchange(port, "00100800 00101FFF 00000100", "A5 00000BDF");
	wf_sim_test_exchange(port, "D5", "5A");
	wf_sim_test_exchange(port, "00 00001000", "A5 00000BDF");
	assert_alive(port);
}

/* §5.12 [X]: no valid header block → D3 answers A5 00000C62, and the DA goes on */
static void
test_write_no_header_block(void)
{
	g_autoptr(WfSimWatch) watch = new_watch(NULL);
	g_autoptr(WfTransport) port = NULL;
	const guint32 types[] = {0x0001, 0x0002, 0x0100, 0x0180, 0x7001};

	damage_header_block(watch);
	port = connect_da(watch, BUILD_SPFT, NULL, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(types); i++) {
		send_fmt(port, "D3 A5 01 0000B000 0000BFFF %08X", types[i]);
		wf_sim_test_expect(port, "A5 00000C62");
	}
	assert_alive(port);
}

/* D4: 5A (security), 5A (range), then {status, percent} answered 5A until 100 [I] */
static void
test_format(void)
{
	const guint32 start = 0x20000, len = 0x30000;
	g_autoptr(WfSimWatch) watch = new_watch(NULL);
	g_autoptr(WfTransport) port = connect_da(watch, BUILD_SPFT, NULL, NULL);
	g_autoptr(GBytes) before = wf_sim_watch_dup_flash(watch);
	g_autoptr(GBytes) after = NULL;
	g_autofree guint8 *want = g_memdup2(g_bytes_get_data(before, NULL), FLASH_SIZE);
	const guint8 steps[] = {33, 66, 100};

	/* a first byte other than 0: ignored */
	wf_sim_test_send(port, "D4 01 00 00 00020000 00030000");
	wf_sim_test_expect_silence(port, 50);
	assert_alive(port);
	after = wf_sim_watch_dup_flash(watch);
	g_assert_true(g_bytes_equal(before, after));
	g_clear_pointer(&after, g_bytes_unref);

	wf_sim_test_exchange(port, "D4 00 00 00 00400000 00001000", "5A A5 00000BDF");
	send_fmt(port, "D4 00 00 00 %08X %08X", start, len);
	wf_sim_test_expect(port, "5A 5A");
	for (guint i = 0; i < G_N_ELEMENTS(steps); i++) {
		g_autofree gchar *progress =
			g_strdup_printf("%08X %02X", steps[i] == 100 ? 0u : 0xBCDu, steps[i]);
		wf_sim_test_expect(port, progress);
		wf_sim_test_send(port, "5A");
	}
	assert_alive(port);
	memset(want + start, 0xFF, len);
	after = wf_sim_watch_dup_flash(watch);
	g_assert_cmpmem(g_bytes_get_data(after, NULL), FLASH_SIZE, want, FLASH_SIZE);
	/* the ROM lost its middle, but the header block stands: D3 still works */
	da_mem(port, start, 0x1000, 1);
}

/* EF and F0 read the firmware: VERNO from MAUI_INFO, the FS range from FLASH_INFO */
static void
test_firmware_info(void)
{
	g_autoptr(WfSimWatch) watch = new_watch(NULL);
	g_autoptr(WfTransport) port = connect_da(watch, BUILD_SPFT, NULL, NULL);
	WfSimImageSpec spec;
	WfSimImageLayout layout;
	g_autoptr(GError) error = NULL;
	guint8 id[64] = {0};
	guint8 got[64];
	g_autofree gchar *fat = NULL;

	wf_sim_image_spec_init(
		&spec, FLASH_SIZE, wf_sim_watch_get_jedec(watch), wf_sim_watch_get_me_id(watch));
	g_assert_true(wf_sim_image_get_layout(&spec, &layout, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(layout.fs_offset, ==, 0x380000);

	wf_sim_test_exchange(port, "EF", "00000000");
	wf_sim_test_read(port, got, sizeof(got));
	memcpy(id, spec.verno, strlen(spec.verno));
	g_assert_cmpmem(got, sizeof(got), id, sizeof(id));

	fat = g_strdup_printf("00000000 %08X %08X " ZEROS_16, layout.fs_offset, layout.fs_len);
	wf_sim_test_exchange(port, "F0", fat);
	assert_alive(port);
}

static void
test_firmware_info_blank(void)
{
	g_autoptr(WfSimWatch) watch = new_watch(NULL);
	g_autoptr(WfTransport) port = NULL;

	damage_header_block(watch);
	port = connect_da(watch, BUILD_SPFT, NULL, NULL);
	wf_sim_test_send(port, "EF");
	g_assert_cmpuint(read_u32(port), !=, 0);
	wf_sim_test_expect_silence(port, 50);
	wf_sim_test_exchange(port, "F0", "00000000 " ZEROS_8 ZEROS_16);
	assert_alive(port);
}

/* D9: 5A, the mode, then A5 (SP Flash Tool's build) or 5A (WIZ); then silence */
static void
test_finish(gconstpointer data)
{
	Build build = GPOINTER_TO_INT(data);
	g_autoptr(WfSimWatch) watch = new_watch(NULL);
	g_autoptr(WfTransport) port = connect_da(watch, build, NULL, NULL);

	wf_sim_test_exchange(port, "D9", "5A");
	wf_sim_test_exchange(port, "00000000", build == BUILD_WIZ ? "5A" : "A5");
	wf_sim_test_send(port, "B9");
	wf_sim_test_expect_silence(port, 100);
	g_assert_true(wf_sim_watch_has_port(watch));
}

/* C9 00 → 5A only in the WIZ build; unknown bytes get no answer in both */
static void
test_commands(gconstpointer data)
{
	Build build = GPOINTER_TO_INT(data);
	g_autoptr(WfSimWatch) watch = new_watch(NULL);
	g_autoptr(WfTransport) port = connect_da(watch, build, NULL, NULL);

	wf_sim_test_send(port, "00 13 BB 5A 69 C0 D0 D1 D7 D8 FF");
	wf_sim_test_expect_silence(port, 50);
	assert_alive(port);
	wf_sim_test_send(port, "C9 00");
	if (build == BUILD_WIZ)
		wf_sim_test_expect(port, "5A");
	else
		wf_sim_test_expect_silence(port, 50);
	assert_alive(port);
}

/* D2: ACK, echo until C0, 5A for 5A, then the loop-back (§5.5) */
static void
test_speed(void)
{
	g_autoptr(WfSimWatch) watch = new_watch(NULL);
	g_autoptr(WfTransport) port = connect_da(watch, BUILD_WIZ, NULL, NULL);
	guint8 loop[256], back[256];

	wf_sim_test_exchange(port, "D2 00 01", "A5");
	wf_sim_test_exchange(port, "D2 0E 01", "A5");
	wf_sim_test_exchange(port, "D2 02 02", "5A");
	wf_sim_test_exchange(port, "5A", "5A");
	wf_sim_test_exchange(port, "C0", "C0");
	wf_sim_test_exchange(port, "11 5A", "5A");
	for (guint i = 0; i < 256; i++)
		loop[i] = (guint8)i;
	for (guint round = 0; round < 2; round++) {
		send_bytes(port, loop, sizeof(loop));
		wf_sim_test_read(port, back, sizeof(back));
		g_assert_cmpmem(back, sizeof(back), loop, sizeof(loop));
	}
	assert_alive(port);
	/* a loop-back that goes wrong aborts the DA */
	wf_sim_test_exchange(port, "D2 01 01", "5A");
	wf_sim_test_exchange(port, "C0", "C0");
	wf_sim_test_exchange(port, "5A", "5A");
	wf_sim_test_exchange(port, "00 02", "00 02");
	wf_sim_test_send(port, "B9");
	wf_sim_test_expect_silence(port, 100);
}

/* FE: bus tests step through their lines per host 5A; pattern tests answer at once */
static void
test_memory_test(void)
{
	g_autoptr(WfSimWatch) watch = new_watch(NULL);
	g_autoptr(WfTransport) port = connect_da(watch, BUILD_SPFT, NULL, NULL);

	wf_sim_test_exchange(port,
			     "FE 00000002 00000000 00000000 00000002 00000004 44332211",
			     "5A 00000BCD 00000000");
	for (guint i = 1; i <= 0x0F; i++) {
		g_autofree gchar *step = g_strdup_printf("00000BCD %08X", i);
		wf_sim_test_exchange(port, "5A", step);
	}
	wf_sim_test_exchange(port, "5A", "00000000");
	wf_sim_test_exchange(
		port, "FE 00000002 00000000 00400000 00000002 00000001 A5A5A5A5", "5A 00000000");
	assert_alive(port);
}

/* ---- DA faults (docs/simulator.md) ----------------------------------------- */

static void
test_fault_parse(void)
{
	const gchar *good[] = {"da-silent",
			       "da-silent:2",
			       "da-unknown-flash",
			       "da-unknown-flash:1",
			       "da-bad-read:0",
			       "da-nack:3",
			       "da-disconnect:in:100",
			       "da-disconnect:out:0"};
	const gchar *bad[] = {"da-silent:x",
			      "da-bad-read",
			      "da-nack:1:2",
			      "da-disconnect:in",
			      "da-disconnect:up:3",
			      "da-disconnect:3",
			      "da-frobnicate"};

	for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autoptr(WfSimFaults) faults = wf_sim_faults_new();
		g_autoptr(GError) error = NULL;
		g_assert_true(wf_sim_faults_parse(faults, good[i], &error));
		g_assert_no_error(error);
		g_assert_cmpuint(wf_sim_faults_get_count(faults), ==, 1);
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(WfSimFaults) faults = wf_sim_faults_new();
		g_autoptr(GError) error = NULL;
		g_assert_false(wf_sim_faults_parse(faults, bad[i], &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
	}
}

/* da-silent:1: the first DA never syncs; after a re-plug the next one does */
static void
test_fault_silent(void)
{
	g_autoptr(WfSimWatch) watch = new_watch("da-silent:1");
	g_autoptr(WfTransport) port = wf_sim_test_connect(watch);
	g_autoptr(WfTransport) port2 = NULL;
	guint8 report[198];

	upload(port, BUILD_SPFT, TRUE);
	wf_sim_test_expect_silence(port, 200);
	wf_sim_watch_unplug(watch);
	assert_lost(port);
	port2 = wf_sim_test_connect(watch);
	upload(port2, BUILD_SPFT, TRUE);
	startup(port2, BUILD_SPFT, report);
}

/* da-unknown-flash: even the watch's own record gets no 5A */
static void
test_fault_unknown_flash(void)
{
	g_autoptr(WfSimWatch) watch = new_watch("da-unknown-flash");
	g_autoptr(WfTransport) port = wf_sim_test_connect(watch);

	upload(port, BUILD_SPFT, TRUE);
	begin_startup(port, 2);
	send_record(port, 0x112, 0x00C2, 0x0020, 0x0016, 0x0000);
	wf_sim_test_expect(port, "69");
	send_record(port, 0x113, 0x00C2, 0x0020, 0x0016, 0x0000);
	wf_sim_test_expect(port, "A5 00000BC1");
}

/* da-bad-read:1: the second readback packet arrives damaged once; A5 brings it right */
static void
test_fault_bad_read(void)
{
	g_autoptr(WfSimWatch) watch = new_watch("da-bad-read:1");
	g_autoptr(WfTransport) port = connect_da(watch, BUILD_SPFT, NULL, NULL);
	g_autoptr(GBytes) flash = wf_sim_watch_dup_flash(watch);
	const guint8 *f = g_bytes_get_data(flash, NULL);
	guint8 packet[0x400];
	g_autofree guint8 *got = g_malloc(0x1000);

	send_fmt(port, "D6 00 %08X %08X %08X", 0xB000u, 0xC00u, 0x400u);
	wf_sim_test_expect(port, "5A");
	g_assert_true(read_packet(port, packet, 0x400));
	wf_sim_test_send(port, "5A");
	g_assert_false(read_packet(port, packet, 0x400));
	wf_sim_test_send(port, "A5");
	g_assert_true(read_packet(port, packet, 0x400));
	g_assert_cmpmem(packet, 0x400, f + 0xB400, 0x400);
	wf_sim_test_send(port, "5A");
	g_assert_true(read_packet(port, packet, 0x400));
	wf_sim_test_send(port, "5A");
	/* once only */
	da_read(port, 0xB000, 0x1000, 0x400, TRUE, got);
	g_assert_cmpmem(got, 0x1000, f + 0xB000, 0x1000);
}

/* da-nack:2: the next two write packets get A5 however good they are */
static void
test_fault_nack(void)
{
	g_autoptr(WfSimWatch) watch = new_watch("da-nack:2");
	g_autoptr(WfTransport) port = connect_da(watch, BUILD_SPFT, NULL, NULL);
	g_autoptr(GBytes) after = NULL;
	guint8 data[0x1000];

	fill_random(data, sizeof(data), 12);
	da_mem(port, 0x300000, sizeof(data), 1);
	da_write_begin(port, 0x1000);
	for (guint i = 0; i < 2; i++) {
		send_packet(port, data, sizeof(data), sum16(data, sizeof(data)));
		wf_sim_test_expect(port, "A5 5A");
		wf_sim_test_send(port, "69");
	}
	da_write_packets(port, data, sizeof(data), 0x1000);
	da_write_end(port, data, sizeof(data));
	after = wf_sim_watch_dup_flash(watch);
	g_assert_cmpmem((const guint8 *)g_bytes_get_data(after, NULL) + 0x300000,
			sizeof(data),
			data,
			sizeof(data));
}

/* da-disconnect:in:5: the sync and the 5A after the parameters, then the watch resets */
static void
test_fault_disconnect_in(void)
{
	g_autoptr(WfSimWatch) watch = new_watch("da-disconnect:in:5");
	g_autoptr(WfTransport) port = wf_sim_test_connect(watch);
	g_autoptr(WfTransport) port2 = NULL;

	upload(port, BUILD_SPFT, TRUE);
	begin_startup(port, 1);
	assert_lost(port);
	/* back in BROM mode */
	port2 = wf_sim_test_wait_port(watch);
	wf_sim_test_handshake(port2);
}

/* da-disconnect:out:51: the parameter block (15) and one record (36) cross, no more */
static void
test_fault_disconnect_out(void)
{
	g_autoptr(WfSimWatch) watch = new_watch("da-disconnect:out:51");
	g_autoptr(WfTransport) port = wf_sim_test_connect(watch);

	upload(port, BUILD_SPFT, TRUE);
	begin_startup(port, 2);
	send_record(port, 0x112, 0x00C2, 0x0020, 0x0016, 0x0000);
	assert_lost(port);
	g_assert_cmpuint(wf_sim_watch_get_generation(watch), >=, 1);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

	g_test_add_func("/sim/da/profiles", test_profiles);
	g_test_add_data_func("/sim/da/startup/spft", GINT_TO_POINTER(BUILD_SPFT), test_startup);
	g_test_add_data_func("/sim/da/startup/wiz", GINT_TO_POINTER(BUILD_WIZ), test_startup);
	g_test_add_data_func("/sim/da/startup/unknown", GINT_TO_POINTER(BUILD_OTHER), test_startup);
	g_test_add_func("/sim/da/startup/blank", test_startup_blank);
	g_test_add_func("/sim/da/startup/bad-brlyt", test_startup_bad_brlyt);
	g_test_add_func("/sim/da/startup/no-stage2", test_startup_no_stage2);
	g_test_add_func("/sim/da/startup/no-remap", test_startup_no_remap);
	g_test_add_func("/sim/da/startup/no-match", test_startup_no_match);
	g_test_add_func("/sim/da/startup/terminator", test_startup_terminator);
	g_test_add_func("/sim/da/startup/unlocks", test_startup_unlocks);
	g_test_add_func("/sim/da/read", test_read);
	g_test_add_func("/sim/da/read/refused", test_read_refused);
	g_test_add_func("/sim/da/write", test_write);
	g_test_add_func("/sim/da/write/retransmit", test_write_retransmit);
	g_test_add_func("/sim/da/write/needs-erase", test_write_needs_erase);
	g_test_add_func("/sim/da/write/bad-file-checksum", test_write_bad_file_checksum);
	g_test_add_func("/sim/da/write/refused", test_write_refused);
	g_test_add_func("/sim/da/write/no-header-block", test_write_no_header_block);
	g_test_add_func("/sim/da/format", test_format);
	g_test_add_func("/sim/da/firmware-info", test_firmware_info);
	g_test_add_func("/sim/da/firmware-info/blank", test_firmware_info_blank);
	g_test_add_data_func("/sim/da/finish/spft", GINT_TO_POINTER(BUILD_SPFT), test_finish);
	g_test_add_data_func("/sim/da/finish/wiz", GINT_TO_POINTER(BUILD_WIZ), test_finish);
	g_test_add_data_func("/sim/da/commands/spft", GINT_TO_POINTER(BUILD_SPFT), test_commands);
	g_test_add_data_func("/sim/da/commands/wiz", GINT_TO_POINTER(BUILD_WIZ), test_commands);
	g_test_add_func("/sim/da/speed", test_speed);
	g_test_add_func("/sim/da/memory-test", test_memory_test);
	g_test_add_func("/sim/da/fault/parse", test_fault_parse);
	g_test_add_func("/sim/da/fault/silent", test_fault_silent);
	g_test_add_func("/sim/da/fault/unknown-flash", test_fault_unknown_flash);
	g_test_add_func("/sim/da/fault/bad-read", test_fault_bad_read);
	g_test_add_func("/sim/da/fault/nack", test_fault_nack);
	g_test_add_func("/sim/da/fault/disconnect-in", test_fault_disconnect_in);
	g_test_add_func("/sim/da/fault/disconnect-out", test_fault_disconnect_out);
	return g_test_run();
}
