/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "wf-error.h"
#include "wf-sim-test-util.h"

/*
 * The BROM model byte for byte against protocol.md §2–§3 (and the PCAP
 * examples quoted there), over the in-process port.
 */

typedef struct {
	WfSimWatch *watch;
	WfTransport *port;
} Fixture;

static void
fixture_setup_chip(Fixture *fx, const gchar *chip)
{
	WfSimConfig config;

	wf_sim_test_config_init_fast(&config);
	config.chip = chip;
	fx->watch = wf_sim_test_watch_new(&config);
	wf_sim_config_clear(&config);
	fx->port = wf_sim_test_connect(fx->watch);
}

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
	fixture_setup_chip(fx, data);
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	g_clear_object(&fx->port);
	g_clear_object(&fx->watch);
}

/* the BROM still answers commands */
static void
assert_alive(WfTransport *port)
{
	wf_sim_test_exchange(port, "FF", "05");
}

static void
test_handshake(void)
{
	g_autoptr(WfSimWatch) watch = NULL;
	g_autoptr(WfTransport) port = NULL;
	WfSimConfig config;

	wf_sim_test_config_init_fast(&config);
	watch = wf_sim_test_watch_new(&config);
	wf_sim_watch_plug_in(watch);
	port = wf_sim_test_wait_port(watch);

	/* one byte at a time, each answered by its complement */
	wf_sim_test_handshake(port);
	/* in the command loop 0xA0 is an unknown command: echoed ("already done") */
	wf_sim_test_exchange(port, "A0", "A0");
	wf_sim_test_exchange(port, "A0", "A0");
	assert_alive(port);
}

static void
test_handshake_resync(void)
{
	g_autoptr(WfSimWatch) watch = NULL;
	g_autoptr(WfTransport) port = NULL;
	WfSimConfig config;

	wf_sim_test_config_init_fast(&config);
	watch = wf_sim_test_watch_new(&config);
	wf_sim_watch_plug_in(watch);
	port = wf_sim_test_wait_port(watch);

	/* a stray byte b gets b + 1 */
	wf_sim_test_exchange(port, "0A", "0B");
	wf_sim_test_exchange(port, "FF", "00");
	/* 0xA0 while 0x0A is expected: 0xA1, and the sequence restarts */
	wf_sim_test_exchange(port, "A0", "5F");
	wf_sim_test_exchange(port, "A0", "A1");
	wf_sim_test_exchange(port, "0A", "0B");
	/* a mismatch at the last step also restarts */
	wf_sim_test_exchange(port, "A0 0A 50", "5F F5 AF");
	wf_sim_test_exchange(port, "06", "07");
	/* the standard resync: A0 until 5F, then the rest */
	wf_sim_test_handshake(port);
	assert_alive(port);
}

static void
test_simple_commands(Fixture *fx, gconstpointer data)
{
	/* GET_VERSION is answered, not echoed */
	wf_sim_test_exchange(fx->port, "FF", "05");
	/* GET_BL_VER and the preloader-only commands: echo only */
	wf_sim_test_exchange(fx->port, "FE", "FE");
	wf_sim_test_exchange(fx->port, "FD", "FD");
	wf_sim_test_expect_silence(fx->port, 50);
	wf_sim_test_exchange(fx->port, "FC FB", "FC FB");
	wf_sim_test_exchange(fx->port, "A1 DE E0", "A1 DE E0");
	/* unknown commands: echo */
	wf_sim_test_exchange(fx->port, "42 00 C3", "42 00 C3");
	wf_sim_test_expect_silence(fx->port, 20);
	/* GET_TARGET_CONFIG: 0, status 0 */
	wf_sim_test_exchange(fx->port, "D8", "D8 00000000 0000");
	/* not supported on MT6261 */
	wf_sim_test_exchange(fx->port, "D9", "D9 703A");
	wf_sim_test_exchange(fx->port, "E4", "E4 703A");
	wf_sim_test_exchange(fx->port, "DB", "DB 0000");
	/* UART baud: 110…921600 */
	wf_sim_test_exchange(fx->port, "DC 0001C200", "DC 0001C200 0000");
	wf_sim_test_exchange(fx->port, "DC 000E1000", "DC 000E1000 0000");
	wf_sim_test_exchange(fx->port, "DC 000E1001", "DC 000E1001 7028");
	wf_sim_test_exchange(fx->port, "DC 0000006D", "DC 0000006D 7028");
	assert_alive(fx->port);
}

static void
test_me_id(Fixture *fx, gconstpointer data)
{
	const guint8 *me_id = wf_sim_watch_get_me_id(fx->watch);
	guint8 got[16];

	wf_sim_test_exchange(fx->port, "E1", "E1 00000010");
	wf_sim_test_read(fx->port, got, sizeof(got));
	g_assert_cmpmem(got, sizeof(got), me_id, 16);
	wf_sim_test_expect(fx->port, "0000");
}

static void
test_chip_id_mt6261(Fixture *fx, gconstpointer data)
{
	/* PCAP: A2 80000000 00000001 → CB01, no status words */
	wf_sim_test_exchange(fx->port, "A2 80000000 00000001", "A2 80000000 00000001 CB01");
	wf_sim_test_exchange(fx->port, "A2 80000004 00000001", "A2 80000004 00000001 0001");
	wf_sim_test_exchange(fx->port, "A2 80000008 00000001", "A2 80000008 00000001 6261");
	wf_sim_test_exchange(fx->port, "A2 8000000C 00000001", "A2 8000000C 00000001 8000");
	wf_sim_test_exchange(fx->port, "A2 A01C0108 00000002", "A2 A01C0108 00000002 0000 35C0");
	/* PCAP: D1 A01C0108 1 → 0000 35C00000 0000 */
	wf_sim_test_exchange(
		fx->port, "D1 A01C0108 00000001", "D1 A01C0108 00000001 0000 35C00000 0000");
	g_assert_cmpuint(wf_sim_test_read16(fx->port, 0x80000008), ==, 0x6261);
	assert_alive(fx->port);
}

static void
test_chip_id_mt6260(Fixture *fx, gconstpointer data)
{
	g_assert_cmpstr(wf_sim_watch_get_chip(fx->watch), ==, "mt6260");
	wf_sim_test_exchange(fx->port, "A2 80000008 00000001", "A2 80000008 00000001 6260");
}

static void
test_read_errors(Fixture *fx, gconstpointer data)
{
	/* each error: one status word, no data, and the loop goes on */
	wf_sim_test_exchange(fx->port, "D1 A01C0108 00000000", "D1 A01C0108 00000000 1D09");
	assert_alive(fx->port);
	wf_sim_test_exchange(fx->port, "D1 A01C0102 00000001", "D1 A01C0102 00000001 1D07");
	assert_alive(fx->port);
	wf_sim_test_exchange(fx->port, "D0 80000001 00000001", "D0 80000001 00000001 1D06");
	assert_alive(fx->port);
	wf_sim_test_exchange(fx->port, "D0 80000000 00000000", "D0 80000000 00000000 1D09");
	assert_alive(fx->port);
	wf_sim_test_exchange(fx->port, "D1 80000000 40000000", "D1 80000000 40000000 1D19");
	assert_alive(fx->port);
	wf_sim_test_exchange(fx->port, "D0 80000000 80000000", "D0 80000000 80000000 1D19");
	assert_alive(fx->port);
	/* refused ranges, §3.5 */
	wf_sim_test_exchange(fx->port, "D1 FFF00000 00000001", "D1 FFF00000 00000001 1D08");
	wf_sim_test_exchange(fx->port, "D1 70002000 00000001", "D1 70002000 00000001 1D08");
	wf_sim_test_exchange(fx->port, "D1 70005CF4 00000001", "D1 70005CF4 00000001 1D08");
	wf_sim_test_exchange(fx->port, "D1 7000B000 00000001", "D1 7000B000 00000001 1D08");
	wf_sim_test_exchange(fx->port, "D0 A0110000 00000001", "D0 A0110000 00000001 1D08");
	/* a span that only touches a refused range at its end */
	wf_sim_test_exchange(fx->port, "D1 70001FFC 00000002", "D1 70001FFC 00000002 1D08");
	assert_alive(fx->port);
	/* just outside the refused ranges: fine */
	g_assert_cmpuint(wf_sim_test_read32(fx->port, 0x70005CF8), ==, 0);
	g_assert_cmpuint(wf_sim_test_read32(fx->port, 0x70001FFC), ==, 0);
	/* the legacy read answers errors with nothing at all */
	wf_sim_test_exchange(fx->port, "A2 80000001 00000001", "A2 80000001 00000001");
	wf_sim_test_expect_silence(fx->port, 50);
	wf_sim_test_exchange(fx->port, "A2 80000000 00000000", "A2 80000000 00000000");
	wf_sim_test_expect_silence(fx->port, 50);
	wf_sim_test_exchange(fx->port, "A2 FFF00000 00000001", "A2 FFF00000 00000001");
	wf_sim_test_expect_silence(fx->port, 50);
	assert_alive(fx->port);
}

static void
test_write(Fixture *fx, gconstpointer data)
{
	/* PCAP: D2 A0030000 00000001 → 0001; 2200 → 2200 0001 */
	wf_sim_test_exchange(fx->port, "D2 A0030000 00000001", "D2 A0030000 00000001 0001");
	wf_sim_test_exchange(fx->port, "2200", "2200 0001");
	g_assert_cmpuint(wf_sim_test_read16(fx->port, 0xA0030000), ==, 0x2200);

	/* several values in one command, each echoed and acknowledged */
	wf_sim_test_exchange(fx->port, "D4 70000100 00000002", "D4 70000100 00000002 0001");
	wf_sim_test_exchange(fx->port, "11223344", "11223344 0001");
	wf_sim_test_exchange(fx->port, "55667788", "55667788 0001");
	wf_sim_test_exchange(fx->port,
			     "D1 70000100 00000002",
			     "D1 70000100 00000002 0000 11223344 55667788 0000");
	/* memory is little-endian: the half-word at +0 is the low half */
	g_assert_cmpuint(wf_sim_test_read16(fx->port, 0x70000100), ==, 0x3344);
	g_assert_cmpuint(wf_sim_test_read16(fx->port, 0x70000102), ==, 0x1122);

	/* D3 does not echo the data */
	wf_sim_test_exchange(fx->port, "D3 70000200 00000001", "D3 70000200 00000001 0001");
	wf_sim_test_exchange(fx->port, "BEEF", "0001");
	g_assert_cmpuint(wf_sim_test_read16(fx->port, 0x70000200), ==, 0xBEEF);
	assert_alive(fx->port);
}

static void
test_write_errors(Fixture *fx, gconstpointer data)
{
	wf_sim_test_exchange(fx->port, "D2 70000000 00000000", "D2 70000000 00000000 1D05");
	assert_alive(fx->port);
	wf_sim_test_exchange(fx->port, "D2 70000001 00000001", "D2 70000001 00000001 1D00");
	assert_alive(fx->port);
	wf_sim_test_exchange(fx->port, "D3 70000001 00000001", "D3 70000001 00000001 1D00");
	assert_alive(fx->port);
	wf_sim_test_exchange(fx->port, "D4 70000002 00000001", "D4 70000002 00000001 1D01");
	assert_alive(fx->port);
	wf_sim_test_exchange(fx->port, "D4 80000000 40000000", "D4 80000000 40000000 1D18");
	assert_alive(fx->port);
	wf_sim_test_exchange(fx->port, "D4 FFF00000 00000001", "D4 FFF00000 00000001 1D02");
	wf_sim_test_exchange(fx->port, "D4 70003000 00000001", "D4 70003000 00000001 1D02");
	wf_sim_test_exchange(fx->port, "D2 A0110000 00000001", "D2 A0110000 00000001 1D02");
	assert_alive(fx->port);
}

static void
test_masked_write(Fixture *fx, gconstpointer data)
{
	/* 0x70005CF8–0x7000AFFF: accepted with a status other than 1, data masked */
	wf_sim_test_exchange(fx->port, "D4 70006000 00000001", "D4 70006000 00000001 0002");
	wf_sim_test_exchange(fx->port, "12345678", "12345678 0002");
	g_assert_cmpuint(wf_sim_test_read32(fx->port, 0x70006000), ==, 0x00340078);
	wf_sim_test_exchange(fx->port, "D2 70006004 00000001", "D2 70006004 00000001 0002");
	wf_sim_test_exchange(fx->port, "ABCD", "ABCD 0002");
	g_assert_cmpuint(wf_sim_test_read16(fx->port, 0x70006004), ==, 0x00CD);
	/* below the masked class the data is kept as it is */
	wf_sim_test_write32(fx->port, 0x70001000, 0x12345678);
	g_assert_cmpuint(wf_sim_test_read32(fx->port, 0x70001000), ==, 0x12345678);
}

static void
test_registers(Fixture *fx, gconstpointer data)
{
	/* read-back values before any write, §3.7 */
	g_assert_cmpuint(wf_sim_test_read16(fx->port, 0xA0700A24), ==, 0x0010);
	g_assert_cmpuint(wf_sim_test_read16(fx->port, 0xA0700A14), ==, 0x6101);
	g_assert_cmpuint(wf_sim_test_read16(fx->port, 0xA0700A08), ==, 0x000F);
	g_assert_cmpuint(wf_sim_test_read16(fx->port, 0xA0700A00), ==, 0xF262);
	g_assert_cmpuint(wf_sim_test_read16(fx->port, 0xA0700A28), ==, 0x0010);
	g_assert_cmpuint(wf_sim_test_read16(fx->port, 0xA0710000), ==, 0x0005);
	g_assert_cmpuint(wf_sim_test_read16(fx->port, 0xA0710050), ==, 0xFF5F);
	g_assert_cmpuint(wf_sim_test_read16(fx->port, 0xA0710054), ==, 0xFDDE);
	g_assert_cmpuint(wf_sim_test_read32(fx->port, 0xA0510000), ==, 0);

	/* SP Flash Tool's PMU writes read back as in the capture */
	wf_sim_test_write16(fx->port, 0xA0700A24, 0x0015);
	g_assert_cmpuint(wf_sim_test_read16(fx->port, 0xA0700A24), ==, 0x0015);
	wf_sim_test_write16(fx->port, 0xA0700A14, 0x6001);
	g_assert_cmpuint(wf_sim_test_read16(fx->port, 0xA0700A14), ==, 0x6009);
	/* RTC BBPU: 0x430E → 0x000E */
	wf_sim_test_write16(fx->port, 0xA0710000, 0x430E);
	g_assert_cmpuint(wf_sim_test_read16(fx->port, 0xA0710000), ==, 0x000E);
	/* the e-fuse is read-only */
	wf_sim_test_write32(fx->port, 0xA01C0108, 0);
	g_assert_cmpuint(wf_sim_test_read32(fx->port, 0xA01C0108), ==, 0x35C00000);
	/* the chip id block too */
	wf_sim_test_write16(fx->port, 0x80000008, 0x1234);
	g_assert_cmpuint(wf_sim_test_read16(fx->port, 0x80000008), ==, 0x6261);
}

/* flash bytes b0 b1 b2 b3 → READ32 answers b3 b2 b1 b0 */
static guint32
flash_word(GBytes *flash, gsize offset)
{
	const guint8 *p = (const guint8 *)g_bytes_get_data(flash, NULL) + offset;
	return (guint32)p[0] | ((guint32)p[1] << 8) | ((guint32)p[2] << 16) | ((guint32)p[3] << 24);
}

static void
test_remap(Fixture *fx, gconstpointer data)
{
	g_autoptr(GBytes) flash = wf_sim_watch_dup_flash(fx->watch);
	gsize size = g_bytes_get_size(flash);

	/* the default image starts with the SF_BOOT header */
	g_assert_cmpuint(flash_word(flash, 0), ==, 0x425F4653); /* "SF_B" */

	/* before the remap: PSRAM in bank 0, the flash in bank 1 */
	wf_sim_test_write32(fx->port, 0x00000100, 0xCAFEF00D);
	g_assert_cmpuint(wf_sim_test_read32(fx->port, 0x00000100), ==, 0xCAFEF00D);
	g_assert_cmpuint(wf_sim_test_read32(fx->port, 0x10000000), ==, flash_word(flash, 0));

	/* remap 2 (PCAP: D1 → 0, D4 ← 2, D1 → 2) */
	g_assert_cmpuint(wf_sim_test_read32(fx->port, 0xA0510000), ==, 0);
	wf_sim_test_write32(fx->port, 0xA0510000, 2);
	g_assert_cmpuint(wf_sim_test_read32(fx->port, 0xA0510000), ==, 2);
	for (gsize off = 0; off < 0x40; off += 4)
		g_assert_cmpuint(
			wf_sim_test_read32(fx->port, (guint32)off), ==, flash_word(flash, off));
	/* the window mirrors the flash [I] */
	g_assert_cmpuint(wf_sim_test_read32(fx->port, (guint32)size + 4), ==, flash_word(flash, 4));
	/* PSRAM is in bank 1 now and kept what was written */
	g_assert_cmpuint(wf_sim_test_read32(fx->port, 0x10000100), ==, 0xCAFEF00D);
	/* the flash window is read-only: the write is acknowledged and lost */
	wf_sim_test_write32(fx->port, 0x00000000, 0);
	g_assert_cmpuint(wf_sim_test_read32(fx->port, 0x00000000), ==, flash_word(flash, 0));

	/* remap 3: the normal-run map */
	wf_sim_test_write32(fx->port, 0xA0510000, 3);
	g_assert_cmpuint(wf_sim_test_read32(fx->port, 0x10000008), ==, flash_word(flash, 8));
	g_assert_cmpuint(wf_sim_test_read32(fx->port, 0x00000100), ==, 0xCAFEF00D);
}

static void
test_pipelined_read(Fixture *fx, gconstpointer data)
{
	g_autoptr(GBytes) flash = wf_sim_watch_dup_flash(fx->watch);
	const guint8 *f = g_bytes_get_data(flash, NULL);
	g_autofree guint8 *got = g_malloc(0x10000);

	wf_sim_test_write32(fx->port, 0xA0510000, 2);
	/* [X]: D1 00020000 00004000 sent as one 9-byte write */
	wf_sim_test_send(fx->port, "D1 00020000 00004000");
	wf_sim_test_expect(fx->port, "D1 00020000 00004000 0000");
	wf_sim_test_read(fx->port, got, 0x10000);
	wf_sim_test_expect(fx->port, "0000");
	for (gsize i = 0; i < 0x10000; i += 4) {
		guint8 swapped[4] = {got[i + 3], got[i + 2], got[i + 1], got[i]};
		g_assert_cmpmem(swapped, 4, f + 0x20000 + i, 4);
	}
}

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

static void
send_da(WfTransport *port, guint32 addr, const guint8 *payload, gsize len, guint32 sig_len)
{
	g_autofree gchar *cmd = g_strdup_printf("D7 %08X %08X %08X", addr, (guint32)len, sig_len);
	g_autofree gchar *tail = g_strdup_printf("%04X 0000", xor16(payload, len));
	g_autoptr(GError) error = NULL;

	wf_sim_test_exchange(port, cmd, cmd);
	wf_sim_test_expect(port, "0000");
	wf_transport_write(port, payload, len, 1000, NULL, &error);
	g_assert_no_error(error);
	wf_sim_test_expect(port, tail);
}

static void
test_send_da(Fixture *fx, gconstpointer data)
{
	guint8 payload[0x111];
	guint8 odd[5] = {0x01, 0x02, 0x03, 0x04, 0x05};

	for (gsize i = 0; i < sizeof(payload); i++)
		payload[i] = (guint8)(i * 7 + 3);
	send_da(fx->port, 0x70007000, payload, sizeof(payload), 0x10);
	/* the payload is in SRAM */
	g_assert_cmpuint(wf_sim_test_read32(fx->port, 0x70007000),
			 ==,
			 (guint32)payload[0] | ((guint32)payload[1] << 8) |
				 ((guint32)payload[2] << 16) | ((guint32)payload[3] << 24));
	/* an odd length: the last byte is XORed in as a low byte (0x0201^0x0403^0x05) */
	g_assert_cmpuint(xor16(odd, sizeof(odd)), ==, 0x0607);
	send_da(fx->port, 0x70000000, odd, sizeof(odd), 1);
	/* writes that overlap a loaded block are refused */
	wf_sim_test_exchange(fx->port, "D4 70007100 00000001", "D4 70007100 00000001 1D03");
	assert_alive(fx->port);
	/* the second stage goes to PSRAM after remap 2 */
	wf_sim_test_write32(fx->port, 0xA0510000, 2);
	send_da(fx->port, 0x10020000, payload, sizeof(payload), 0x100);
	g_assert_cmpuint(wf_sim_test_read16(fx->port, 0x10020000),
			 ==,
			 (guint16)(payload[0] | (payload[1] << 8)));
	/* JUMP_DA into the first block; with no DA emulation the watch stays silent */
	wf_sim_watch_set_da_func(fx->watch, NULL, NULL, NULL);
	wf_sim_test_exchange(fx->port, "D5 70007000", "D5 70007000 0000");
	wf_sim_test_send(fx->port, "FF");
	wf_sim_test_expect_silence(fx->port, 100);
	g_assert_true(wf_sim_watch_has_port(fx->watch));
}

/* a fresh watch for each fatal error, since the BROM never answers again */
static WfTransport *
connect_fresh(WfSimWatch **watch)
{
	WfSimConfig config;

	wf_sim_test_config_init_fast(&config);
	*watch = wf_sim_test_watch_new(&config);
	return wf_sim_test_connect(*watch);
}

static void
assert_fatal(const gchar *prelude, const gchar *send, const gchar *expect)
{
	g_autoptr(WfSimWatch) watch = NULL;
	g_autoptr(WfTransport) port = connect_fresh(&watch);

	if (prelude != NULL) {
		guint8 blob[0x20] = {0};
		g_auto(GStrv) blocks = g_strsplit(prelude, ";", -1);
		for (guint i = 0; blocks[i] != NULL; i++) {
			guint64 addr = g_ascii_strtoull(blocks[i], NULL, 16);
			send_da(port, (guint32)addr, blob, sizeof(blob), 0x10);
		}
	}
	wf_sim_test_exchange(port, send, expect);
	/* after the error status the BROM never answers again */
	wf_sim_test_send(port, "D8");
	wf_sim_test_expect_silence(port, 100);
	wf_sim_test_send(port, "FF");
	wf_sim_test_expect_silence(port, 50);
	g_assert_true(wf_sim_watch_has_port(watch));
}

static void
test_send_da_fatal(void)
{
	/* [X]: D7 70007000 00000010 00000010 → 1D14, then D8 gets no reply */
	assert_fatal(NULL, "D7 70007000 00000010 00000010", "D7 70007000 00000010 00000010 1D14");
	assert_fatal(NULL, "D7 70007001 00000010 00000004", "D7 70007001 00000010 00000004 1D11");
	assert_fatal(NULL, "D7 70007000 00000000 00000000", "D7 70007000 00000000 00000000 1D13");
	assert_fatal(NULL, "D7 70003000 00000100 00000004", "D7 70003000 00000100 00000004 1D12");
	assert_fatal(NULL, "D7 FFF00000 00000100 00000004", "D7 FFF00000 00000100 00000004 1D12");
	assert_fatal(
		"70007000", "D7 70007010 00000100 00000004", "D7 70007010 00000100 00000004 1D0E");
	assert_fatal("70000000;70000100;70000200;70000300;70000400;"
		     "70000500;70000600;70000700;70000800;70000900",
		     "D7 70007000 00000100 00000004",
		     "D7 70007000 00000100 00000004 1D10");
}

static void
test_jump_da_fatal(void)
{
	/* [X]: D5 70007000 with no block → 1D16, then D8 gets no reply */
	assert_fatal(NULL, "D5 70007000", "D5 70007000 1D16");
	/* outside [addr, addr + len − sig_len) of every block */
	assert_fatal("70007000", "D5 70007010", "D5 70007010 1D0F");
	assert_fatal("70007000", "D5 70006FFE", "D5 70006FFE 1D0F");
}

static void
test_da_func_cb(WfSimDaContext *ctx, gpointer user_data)
{
	const WfSimDaBlock *block = wf_sim_da_context_get_block(ctx, 0);
	g_autoptr(GBytes) data = wf_sim_da_context_dup_block_data(ctx, 0);
	g_autoptr(GError) error = NULL;
	const guint8 sync[] = {0xC0, 0x03, 0x02, 0x8E};
	guint8 answer = 0;

	g_assert_cmpuint(wf_sim_da_context_get_n_blocks(ctx), ==, 1);
	g_assert_nonnull(block);
	g_assert_null(wf_sim_da_context_get_block(ctx, 1));
	g_assert_cmpuint(block->addr, ==, 0x70007000);
	g_assert_cmpuint(block->len, ==, 0x20);
	g_assert_cmpuint(wf_sim_da_context_get_jump_addr(ctx), ==, 0x70007004);
	g_assert_cmpuint(((const guint8 *)g_bytes_get_data(data, NULL))[1], ==, 0xDA);
	g_assert_nonnull(wf_sim_da_context_get_flash(ctx));
	wf_sim_da_context_write(ctx, sync, sizeof(sync), &error);
	g_assert_no_error(error);
	wf_sim_da_context_read(ctx, &answer, 1, 1000, &error);
	g_assert_no_error(error);
	*(guint8 *)user_data = answer;
	wf_sim_da_context_request_reset(ctx);
}

static void
test_jump_da_hook(void)
{
	g_autoptr(WfSimWatch) watch = NULL;
	g_autoptr(WfTransport) port = NULL;
	g_autoptr(WfTransport) port2 = NULL;
	guint8 blob[0x20] = {0x00, 0xDA};
	guint8 answer = 0;
	WfSimConfig config;

	wf_sim_test_config_init_fast(&config);
	config.reset_delay_ms = 10;
	watch = wf_sim_test_watch_new(&config);
	wf_sim_watch_set_da_func(watch, test_da_func_cb, &answer, NULL);
	port = wf_sim_test_connect(watch);
	send_da(port, 0x70007000, blob, sizeof(blob), 0x10);
	wf_sim_test_exchange(port, "D5 70007004", "D5 70007004 0000 C003028E");
	wf_sim_test_send(port, "5A");
	/* the DA asked for a reset: the port goes and a new one comes */
	{
		g_autoptr(GError) error = NULL;
		guint8 b;
		gsize got = 0;
		g_assert_false(wf_transport_read(port, &b, 1, &got, 2000, NULL, &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_LOST);
	}
	g_assert_cmpuint(answer, ==, 0x5A);
	port2 = wf_sim_test_wait_port(watch);
	g_assert_cmpuint(wf_sim_watch_get_generation(watch), ==, 2);
	wf_sim_test_handshake(port2);
}

static void
test_reset(void)
{
	g_autoptr(WfSimWatch) watch = NULL;
	g_autoptr(WfTransport) port = NULL;
	g_autoptr(WfTransport) port2 = NULL;
	g_autoptr(GError) error = NULL;
	WfSimConfig config;
	guint8 b;
	gsize got = 0;

	wf_sim_test_config_init_fast(&config);
	config.reset_delay_ms = 30;
	watch = wf_sim_test_watch_new(&config);
	port = wf_sim_test_connect(watch);
	wf_sim_test_write32(port, 0xA0510000, 2);
	/* the reset comes before the status word: only the echoes arrive */
	wf_sim_test_exchange(port, "D4 A003001C 00000001", "D4 A003001C 00000001 0001");
	wf_sim_test_exchange(port, "00001209", "00001209");
	g_assert_false(wf_transport_read(port, &b, 1, &got, 1000, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_LOST);
	g_clear_error(&error);
	/* writes to a vanished port fail too */
	g_assert_false(wf_transport_write(port, &b, 1, 100, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_LOST);

	/* it comes back in BROM mode, power-on state: handshake and remap again */
	port2 = wf_sim_test_wait_port(watch);
	g_assert_cmpuint(wf_sim_watch_get_generation(watch), ==, 2);
	wf_sim_test_exchange(port2, "FF", "00");
	wf_sim_test_handshake(port2);
	g_assert_cmpuint(wf_sim_test_read32(port2, 0xA0510000), ==, 0);
}

static void
test_jump_bl(void)
{
	g_autoptr(WfSimWatch) watch = NULL;
	g_autoptr(WfTransport) port = NULL;
	g_autoptr(GError) error = NULL;
	WfSimConfig config;
	guint8 b;
	gsize got = 0;

	wf_sim_test_config_init_fast(&config);
	config.reappear_gap_ms = 10;
	config.reset_delay_ms = 10;
	watch = wf_sim_test_watch_new(&config);
	port = wf_sim_test_connect(watch);
	wf_sim_test_exchange(port, "D6", "D6 0000");
	g_assert_false(wf_transport_read(port, &b, 1, &got, 1000, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_LOST);
	/* the firmware runs: no BROM port until the watch is plugged in again */
	g_usleep(100000);
	g_assert_false(wf_sim_watch_has_port(watch));
	wf_sim_watch_unplug(watch);
	wf_sim_watch_plug_in(watch);
	g_clear_object(&port);
	port = wf_sim_test_wait_port(watch);
	wf_sim_test_handshake(port);
}

static guint8
sfi_status(WfTransport *port)
{
	const guint8 rdsr = 0x05;
	g_autoptr(GByteArray) rx = wf_sim_test_sfi(port, &rdsr, 1, 1);
	return rx->data[0];
}

static void
sfi_simple(WfTransport *port, const guint8 *tx, gsize len)
{
	g_autoptr(GByteArray) rx = wf_sim_test_sfi(port, tx, len, 0);
	g_assert_cmpuint(rx->len, ==, 0);
}

static void
sfi_wait_idle(WfTransport *port)
{
	for (guint i = 0; i < 500; i++) {
		if ((sfi_status(port) & 0x01) == 0)
			return;
		g_usleep(1000);
	}
	g_assert_not_reached();
}

/* flash bytes as READ32 of the remapped window shows them, swapped back */
static void
window_read(WfTransport *port, guint32 offset, guint8 *buf, gsize len)
{
	for (gsize i = 0; i < len; i += 4) {
		guint32 w = wf_sim_test_read32(port, offset + (guint32)i);
		for (gsize j = 0; j < 4 && i + j < len; j++)
			buf[i + j] = (w >> (8 * j)) & 0xFF;
	}
}

static void
test_sfi(Fixture *fx, gconstpointer data)
{
	const guint8 rdid = 0x9F, wren = 0x06, wrdi = 0x04;
	const guint8 erase[] = {0x20, 0x00, 0x10, 0x00};
	const guint8 program[] = {0x02, 0x00, 0x10, 0x04, 0x0F, 0xF0, 0x55, 0xAA};
	const guint8 program2[] = {0x02, 0x00, 0x10, 0x04, 0xF0, 0xF0, 0xFF, 0xFF};
	const guint8 wrap[] = {0x02, 0x00, 0x10, 0xFE, 0x11, 0x22, 0x33, 0x44};
	const guint8 read[] = {0x03, 0x00, 0x10, 0x04};
	g_autoptr(GByteArray) id = wf_sim_test_sfi(fx->port, &rdid, 1, 3);
	g_autoptr(GByteArray) data_rx = NULL;
	guint8 buf[8];

	/* the default 4 MiB watch has a Macronix MX25L32 */
	g_assert_cmpmem(id->data, id->len, "\xC2\x20\x16", 3);
	g_assert_cmpuint(sfi_status(fx->port), ==, 0x00);
	sfi_simple(fx->port, &wren, 1);
	g_assert_cmpuint(sfi_status(fx->port), ==, 0x02);
	sfi_simple(fx->port, &wrdi, 1);
	g_assert_cmpuint(sfi_status(fx->port), ==, 0x00);

	wf_sim_test_write32(fx->port, 0xA0510000, 2);
	/* 4 KiB sector erase */
	sfi_simple(fx->port, &wren, 1);
	sfi_simple(fx->port, erase, sizeof(erase));
	sfi_wait_idle(fx->port);
	g_assert_cmpuint(sfi_status(fx->port) & 0x02, ==, 0); /* WEL cleared */
	g_assert_cmpuint(wf_sim_test_read32(fx->port, 0x1000), ==, 0xFFFFFFFF);
	g_assert_cmpuint(wf_sim_test_read32(fx->port, 0x1FFC), ==, 0xFFFFFFFF);

	/* page program, read back through the window and with 03 */
	sfi_simple(fx->port, &wren, 1);
	sfi_simple(fx->port, program, sizeof(program));
	sfi_wait_idle(fx->port);
	window_read(fx->port, 0x1004, buf, 4);
	g_assert_cmpmem(buf, 4, program + 4, 4);
	data_rx = wf_sim_test_sfi(fx->port, read, sizeof(read), 4);
	g_assert_cmpmem(data_rx->data, data_rx->len, program + 4, 4);
	/* programming only clears bits: 0F & F0 = 00 */
	sfi_simple(fx->port, &wren, 1);
	sfi_simple(fx->port, program2, sizeof(program2));
	sfi_wait_idle(fx->port);
	window_read(fx->port, 0x1004, buf, 4);
	g_assert_cmpmem(buf, 4, "\x00\xF0\x55\xAA", 4);
	/* without WREN a program is ignored */
	sfi_simple(fx->port, program2 + 0, 4);
	/* a page program wraps inside its page */
	sfi_simple(fx->port, &wren, 1);
	sfi_simple(fx->port, wrap, sizeof(wrap));
	sfi_wait_idle(fx->port);
	window_read(fx->port, 0x10FC, buf, 4);
	g_assert_cmpmem(buf + 2, 2, "\x11\x22", 2);
	window_read(fx->port, 0x1000, buf, 4);
	g_assert_cmpmem(buf, 2, "\x33\x44", 2);
}

static void
test_sfi_protection(Fixture *fx, gconstpointer data)
{
	const guint8 wren = 0x06;
	const guint8 wrsr[] = {0x01, 0x04}; /* BP = 1: the top 64 KiB */
	const guint8 erase_top[] = {0x20, 0x3F, 0xF0, 0x00};
	const guint8 erase_low[] = {0x20, 0x00, 0x00, 0x00};
	g_autoptr(GBytes) before = wf_sim_watch_dup_flash(fx->watch);
	g_autoptr(GBytes) after = NULL;
	const guint8 *b, *a;

	/* WRSR needs WEL */
	sfi_simple(fx->port, wrsr, sizeof(wrsr));
	g_assert_cmpuint(sfi_status(fx->port), ==, 0x00);
	sfi_simple(fx->port, &wren, 1);
	sfi_simple(fx->port, wrsr, sizeof(wrsr));
	sfi_wait_idle(fx->port);
	g_assert_cmpuint(sfi_status(fx->port), ==, 0x04);
	/* an erase in the protected top block is ignored, one below is not */
	sfi_simple(fx->port, &wren, 1);
	sfi_simple(fx->port, erase_top, sizeof(erase_top));
	sfi_wait_idle(fx->port);
	sfi_simple(fx->port, &wren, 1);
	sfi_simple(fx->port, erase_low, sizeof(erase_low));
	sfi_wait_idle(fx->port);
	after = wf_sim_watch_dup_flash(fx->watch);
	b = g_bytes_get_data(before, NULL);
	a = g_bytes_get_data(after, NULL);
	g_assert_cmpmem(a + 0x3FF000, 0x1000, b + 0x3FF000, 0x1000);
	for (gsize i = 0; i < 0x1000; i++)
		g_assert_cmpuint(a[i], ==, 0xFF);
	g_assert_true(memcmp(b, a, 0x1000) != 0); /* the image had data there */
}

static void
test_sfi_impatient_host(Fixture *fx, gconstpointer data)
{
	g_autoptr(GBytes) before = wf_sim_watch_dup_flash(fx->watch);
	g_autoptr(GBytes) after = NULL;
	guint32 ctrl;

	/* RDID, but the host reads GPRAM right after starting: stale bytes */
	wf_sim_test_write32(fx->port, 0xA0140800, 0x0000009F);
	wf_sim_test_write32(fx->port, 0xA0140010, 1);
	wf_sim_test_write32(fx->port, 0xA0140014, 3);
	wf_sim_test_write32(fx->port, 0xA0140000, 0x0C);
	g_assert_cmpuint(wf_sim_test_read32(fx->port, 0xA0140008) & 0x100, ==, 0); /* not ready */
	g_assert_cmpuint(wf_sim_test_read32(fx->port, 0xA0140800), ==, 0x0000009F);
	/* the first look at control shows busy; then the reply is there */
	ctrl = wf_sim_test_read32(fx->port, 0xA0140000);
	g_assert_cmpuint(ctrl & 0x0F, ==, 0x0F);
	ctrl = wf_sim_test_read32(fx->port, 0xA0140000);
	g_assert_cmpuint(ctrl & 0x0F, ==, 0x0E);
	g_assert_cmpuint(wf_sim_test_read32(fx->port, 0xA0140800), ==, 0x1620C29F);
	/* leaving macro mode: bit1 lingers for one read */
	wf_sim_test_write32(fx->port, 0xA0140000, 0);
	g_assert_cmpuint(wf_sim_test_read32(fx->port, 0xA0140000), ==, 0x02);
	g_assert_cmpuint(wf_sim_test_read32(fx->port, 0xA0140000), ==, 0x00);

	/* chip erase without ever looking at busy: aborted, the flash is intact */
	wf_sim_test_write32(fx->port, 0xA0140800, 0x06);
	wf_sim_test_write32(fx->port, 0xA0140010, 1);
	wf_sim_test_write32(fx->port, 0xA0140014, 0);
	wf_sim_test_write32(fx->port, 0xA0140000, 0x0C);
	wf_sim_test_write32(fx->port, 0xA0140000, 0x00);
	wf_sim_test_write32(fx->port, 0xA0140800, 0xC7);
	wf_sim_test_write32(fx->port, 0xA0140000, 0x0C);
	wf_sim_test_write32(fx->port, 0xA0140000, 0x00);
	after = wf_sim_watch_dup_flash(fx->watch);
	g_assert_true(g_bytes_equal(before, after));
}

static void
test_sfi_wip_timing(void)
{
	g_autoptr(WfSimWatch) watch = NULL;
	g_autoptr(WfTransport) port = NULL;
	const guint8 wren = 0x06, rdid = 0x9F;
	const guint8 erase[] = {0x20, 0x00, 0x20, 0x00};
	g_autoptr(GByteArray) id = NULL;
	WfSimConfig config;
	gint64 start, busy_us;

	wf_sim_test_config_init_fast(&config);
	config.fast_nor = FALSE; /* datasheet times: 4 KiB erase 45 ms */
	watch = wf_sim_test_watch_new(&config);
	port = wf_sim_test_connect(watch);
	sfi_simple(port, &wren, 1);
	sfi_simple(port, erase, sizeof(erase));
	start = g_get_monotonic_time();
	g_assert_cmpuint(sfi_status(port), ==, 0x03); /* WIP and WEL */
	/* everything but RDSR is ignored while WIP is set */
	id = wf_sim_test_sfi(port, &rdid, 1, 3);
	g_assert_cmpmem(id->data, id->len, "\xFF\xFF\xFF", 3);
	sfi_wait_idle(port);
	busy_us = g_get_monotonic_time() - start;
	g_assert_cmpint(busy_us, >=, 40000);
	g_assert_cmpint(busy_us, <, 2000000);
	g_assert_cmpuint(sfi_status(port), ==, 0x00);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/sim/brom/handshake", test_handshake);
	g_test_add_func("/sim/brom/handshake-resync", test_handshake_resync);
	g_test_add("/sim/brom/simple-commands",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_simple_commands,
		   fixture_teardown);
	g_test_add("/sim/brom/me-id", Fixture, NULL, fixture_setup, test_me_id, fixture_teardown);
	g_test_add("/sim/brom/chip-id/mt6261",
		   Fixture,
		   "mt6261",
		   fixture_setup,
		   test_chip_id_mt6261,
		   fixture_teardown);
	g_test_add("/sim/brom/chip-id/mt6260",
		   Fixture,
		   "mt6260",
		   fixture_setup,
		   test_chip_id_mt6260,
		   fixture_teardown);
	g_test_add("/sim/brom/read-errors",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_read_errors,
		   fixture_teardown);
	g_test_add("/sim/brom/write", Fixture, NULL, fixture_setup, test_write, fixture_teardown);
	g_test_add("/sim/brom/write-errors",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_write_errors,
		   fixture_teardown);
	g_test_add("/sim/brom/masked-write",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_masked_write,
		   fixture_teardown);
	g_test_add("/sim/brom/registers",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_registers,
		   fixture_teardown);
	g_test_add("/sim/brom/remap", Fixture, NULL, fixture_setup, test_remap, fixture_teardown);
	g_test_add("/sim/brom/pipelined-read",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_pipelined_read,
		   fixture_teardown);
	g_test_add(
		"/sim/brom/send-da", Fixture, NULL, fixture_setup, test_send_da, fixture_teardown);
	g_test_add("/sim/brom/sfi", Fixture, NULL, fixture_setup, test_sfi, fixture_teardown);
	g_test_add("/sim/brom/sfi-protection",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_sfi_protection,
		   fixture_teardown);
	g_test_add("/sim/brom/sfi-impatient-host",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_sfi_impatient_host,
		   fixture_teardown);
	g_test_add_func("/sim/brom/sfi-wip-timing", test_sfi_wip_timing);
	g_test_add_func("/sim/brom/send-da-fatal", test_send_da_fatal);
	g_test_add_func("/sim/brom/jump-da-fatal", test_jump_da_fatal);
	g_test_add_func("/sim/brom/jump-da-hook", test_jump_da_hook);
	g_test_add_func("/sim/brom/reset", test_reset);
	g_test_add_func("/sim/brom/jump-bl", test_jump_bl);
	return g_test_run();
}
