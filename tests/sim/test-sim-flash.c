/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "wf-error.h"
#include "wf-sim-flash.h"
#include "wf-sim-sfi.h"

/*
 * The serial NOR model on its own, at SPI-transaction level, against the
 * datasheet rules protocol.md §3.11 lists.
 */

#define SIZE (1024 * 1024)

static const guint8 jedec[3] = {0xC8, 0x60, 0x14};

static WfSimFlash *
flash_new_fast(void)
{
	WfSimFlash *flash = wf_sim_flash_new(SIZE, jedec);
	WfSimFlashTiming timing = {0};
	wf_sim_flash_set_timing(flash, &timing);
	return flash;
}

static void
xfer(WfSimFlash *flash, const gchar *tx, gsize tx_len, guint8 *rx, gsize rx_len)
{
	wf_sim_flash_transaction(flash, (const guint8 *)tx, tx_len, rx, rx_len);
}

static guint8
rdsr(WfSimFlash *flash)
{
	guint8 sr[2] = {0};
	xfer(flash, "\x05", 1, sr, 2);
	g_assert_cmpuint(sr[0], ==, sr[1]); /* RDSR repeats while clocked */
	return sr[0];
}

static void
wren(WfSimFlash *flash)
{
	xfer(flash, "\x06", 1, NULL, 0);
}

static guint8
byte_at(WfSimFlash *flash, gsize offset)
{
	guint8 b;
	wf_sim_flash_read_mapped(flash, (guint32)offset, &b, 1);
	return b;
}

static void
test_identify(void)
{
	g_autoptr(WfSimFlash) flash = flash_new_fast();
	guint8 rx[5];

	xfer(flash, "\x9F", 1, rx, 5);
	g_assert_cmpmem(rx, 3, jedec, 3);
	g_assert_cmpuint(rx[3], ==, 0xFF);
	/* AF (QPI id): the part is in SPI mode and does not drive the bus */
	xfer(flash, "\xAF", 1, rx, 3);
	g_assert_cmpmem(rx, 3, "\xFF\xFF\xFF", 3);
	/* OTP enter/exit is accepted and changes nothing visible */
	xfer(flash, "\xB1", 1, NULL, 0);
	xfer(flash, "\xC1", 1, NULL, 0);
	g_assert_cmpuint(rdsr(flash), ==, 0x00);
}

static void
test_wel(void)
{
	g_autoptr(WfSimFlash) flash = flash_new_fast();

	g_assert_cmpuint(rdsr(flash), ==, 0x00);
	wren(flash);
	g_assert_cmpuint(rdsr(flash), ==, 0x02);
	xfer(flash, "\x04", 1, NULL, 0);
	g_assert_cmpuint(rdsr(flash), ==, 0x00);
	/* program and erase clear WEL when they end */
	wren(flash);
	xfer(flash, "\x02\x00\x00\x00\x12", 5, NULL, 0);
	g_assert_cmpuint(rdsr(flash), ==, 0x00);
	wren(flash);
	xfer(flash, "\x20\x00\x00\x00", 4, NULL, 0);
	g_assert_cmpuint(rdsr(flash), ==, 0x00);
	/* WRSR only with WEL */
	xfer(flash, "\x01\x08", 2, NULL, 0);
	g_assert_cmpuint(rdsr(flash), ==, 0x00);
	wren(flash);
	xfer(flash, "\x01\x0B", 2, NULL, 0); /* WIP/WEL bits of the value are ignored */
	g_assert_cmpuint(rdsr(flash), ==, 0x08);
}

static void
test_program_and_erase(void)
{
	g_autoptr(WfSimFlash) flash = flash_new_fast();
	guint8 rx[4];

	/* without WEL nothing happens */
	xfer(flash, "\x02\x00\x01\x00\x00", 5, NULL, 0);
	g_assert_cmpuint(byte_at(flash, 0x100), ==, 0xFF);
	/* programming only clears bits */
	wren(flash);
	xfer(flash, "\x02\x00\x01\x00\x0F\x3C", 6, NULL, 0);
	wren(flash);
	xfer(flash, "\x02\x00\x01\x00\xF0\xFF", 6, NULL, 0);
	g_assert_cmpuint(byte_at(flash, 0x100), ==, 0x00);
	g_assert_cmpuint(byte_at(flash, 0x101), ==, 0x3C);
	/* read 03 and fast read 0B (one dummy byte) */
	xfer(flash, "\x03\x00\x01\x00", 4, rx, 2);
	g_assert_cmpmem(rx, 2, "\x00\x3C", 2);
	xfer(flash, "\x0B\x00\x01\x00", 4, rx, 3);
	g_assert_cmpmem(rx + 1, 2, "\x00\x3C", 2);
	xfer(flash, "\x0B\x00\x01\x00\x00", 5, rx, 2);
	g_assert_cmpmem(rx, 2, "\x00\x3C", 2);
	/* the 4 KiB erase covers its aligned sector only */
	wren(flash);
	xfer(flash, "\x02\x00\x10\x00\x00", 5, NULL, 0);
	wren(flash);
	xfer(flash, "\x20\x00\x00\x80", 4, NULL, 0);
	g_assert_cmpuint(byte_at(flash, 0x100), ==, 0xFF);
	g_assert_cmpuint(byte_at(flash, 0x1000), ==, 0x00);
	/* 32 KiB and 64 KiB blocks */
	wren(flash);
	xfer(flash, "\x02\x00\x8F\xFF\x00", 5, NULL, 0);
	wren(flash);
	xfer(flash, "\x02\x01\x00\x00\x00", 5, NULL, 0);
	wren(flash);
	xfer(flash, "\x52\x00\x80\x10", 4, NULL, 0);
	g_assert_cmpuint(byte_at(flash, 0x8FFF), ==, 0xFF);
	g_assert_cmpuint(byte_at(flash, 0x10000), ==, 0x00);
	wren(flash);
	xfer(flash, "\xD8\x01\x23\x45", 4, NULL, 0);
	g_assert_cmpuint(byte_at(flash, 0x10000), ==, 0xFF);
	g_assert_cmpuint(byte_at(flash, 0x1000), ==, 0x00);
	/* chip erase, both opcodes */
	wren(flash);
	xfer(flash, "\xC7", 1, NULL, 0);
	g_assert_cmpuint(byte_at(flash, 0x1000), ==, 0xFF);
	wren(flash);
	xfer(flash, "\x02\x00\x00\x00\x00", 5, NULL, 0);
	wren(flash);
	xfer(flash, "\x60", 1, NULL, 0);
	g_assert_cmpuint(byte_at(flash, 0), ==, 0xFF);
}

static void
test_page_wrap(void)
{
	g_autoptr(WfSimFlash) flash = flash_new_fast();
	g_autofree guint8 *tx = g_malloc(4 + 300);

	/* 4 bytes from 0x2FE: two at the page end, two at its start */
	wren(flash);
	xfer(flash, "\x02\x00\x02\xFE\x01\x02\x03\x04", 8, NULL, 0);
	g_assert_cmpuint(byte_at(flash, 0x2FE), ==, 0x01);
	g_assert_cmpuint(byte_at(flash, 0x2FF), ==, 0x02);
	g_assert_cmpuint(byte_at(flash, 0x200), ==, 0x03);
	g_assert_cmpuint(byte_at(flash, 0x201), ==, 0x04);
	g_assert_cmpuint(byte_at(flash, 0x300), ==, 0xFF);
	/* more than 256 bytes: the last 256 are what the page keeps */
	tx[0] = 0x02;
	tx[1] = 0x00;
	tx[2] = 0x05;
	tx[3] = 0x00;
	for (guint i = 0; i < 300; i++)
		tx[4 + i] = (guint8)(i < 44 ? 0x00 : 0xA5);
	wren(flash);
	wf_sim_flash_transaction(flash, tx, 4 + 300, NULL, 0);
	for (guint i = 0; i < 256; i++)
		g_assert_cmpuint(byte_at(flash, 0x500 + i), ==, 0xA5);
}

static void
test_protection(void)
{
	g_autoptr(WfSimFlash) flash = flash_new_fast();
	gsize start = 0, len = 0;

	g_assert_false(wf_sim_flash_get_protected_range(flash, &start, &len));
	/* BP = 1: the top 64 KiB */
	wren(flash);
	xfer(flash, "\x01\x04", 2, NULL, 0);
	g_assert_true(wf_sim_flash_get_protected_range(flash, &start, &len));
	g_assert_cmpuint(start, ==, SIZE - 0x10000);
	g_assert_cmpuint(len, ==, 0x10000);
	wren(flash);
	xfer(flash, "\x02\x0F\xFF\x00\x00", 5, NULL, 0);
	g_assert_cmpuint(byte_at(flash, 0xFFF00), ==, 0xFF);
	g_assert_cmpuint(rdsr(flash) & 0x02, ==, 0); /* the refused command still drops WEL */
	wren(flash);
	xfer(flash, "\x02\x0E\xFF\x00\x00", 5, NULL, 0);
	g_assert_cmpuint(byte_at(flash, 0xEFF00), ==, 0x00);
	/* BP = 3: the top 256 KiB, so the page just programmed is protected now */
	wren(flash);
	xfer(flash, "\x01\x0C", 2, NULL, 0);
	g_assert_true(wf_sim_flash_get_protected_range(flash, &start, &len));
	g_assert_cmpuint(len, ==, 0x40000);
	wren(flash);
	xfer(flash, "\x20\x0E\xF0\x00", 4, NULL, 0);
	g_assert_cmpuint(byte_at(flash, 0xEFF00), ==, 0x00);
	/* chip erase is ignored while anything is protected */
	wren(flash);
	xfer(flash, "\xC7", 1, NULL, 0);
	g_assert_cmpuint(byte_at(flash, 0xEFF00), ==, 0x00);
	/* BP = 5 on 1 MiB: 64 KiB << 4 = all of it */
	wren(flash);
	xfer(flash, "\x01\x14", 2, NULL, 0);
	g_assert_true(wf_sim_flash_get_protected_range(flash, &start, &len));
	g_assert_cmpuint(start, ==, 0);
	g_assert_cmpuint(len, ==, SIZE);
	wren(flash);
	xfer(flash, "\x02\x00\x00\x00\x00", 5, NULL, 0);
	g_assert_cmpuint(byte_at(flash, 0), ==, 0xFF);
	/* clearing BP (what MediaTek's DA does with WRSR 0x02) unprotects */
	wren(flash);
	xfer(flash, "\x01\x02", 2, NULL, 0);
	g_assert_false(wf_sim_flash_get_protected_range(flash, NULL, NULL));
	wren(flash);
	xfer(flash, "\xC7", 1, NULL, 0);
	g_assert_cmpuint(byte_at(flash, 0xEFF00), ==, 0xFF);
}

static void
test_wip_timing(void)
{
	g_autoptr(WfSimFlash) flash = wf_sim_flash_new(SIZE, jedec);
	WfSimFlashTiming timing;
	guint8 rx[3];
	gint64 start;

	wf_sim_flash_timing_init_default(&timing);
	g_assert_cmpuint(timing.erase_4k_us, ==, 45000);
	g_assert_cmpuint(timing.erase_64k_us, ==, 150000);
	g_assert_cmpuint(timing.program_page_us, ==, 700);
	timing.erase_4k_us = 60000;
	wf_sim_flash_set_timing(flash, &timing);

	wren(flash);
	xfer(flash, "\x02\x00\x00\x00\x00", 5, NULL, 0);
	g_assert_cmpuint(rdsr(flash), ==, 0x03); /* a page program takes 0.7 ms */
	while (rdsr(flash) & 0x01)
		g_usleep(100);
	start = g_get_monotonic_time();
	wren(flash);
	xfer(flash, "\x20\x00\x00\x00", 4, NULL, 0);
	g_assert_cmpuint(rdsr(flash), ==, 0x03);
	/* ignored while busy: RDID, WREN, program */
	xfer(flash, "\x9F", 1, rx, 3);
	g_assert_cmpmem(rx, 3, "\xFF\xFF\xFF", 3);
	xfer(flash, "\x02\x00\x00\x10\x00", 5, NULL, 0);
	/* the memory-mapped window reads the floating bus while busy [I] */
	g_assert_cmpuint(byte_at(flash, 0x2000), ==, 0xFF);
	while (rdsr(flash) & 0x01)
		g_usleep(1000);
	g_assert_cmpint(g_get_monotonic_time() - start, >=, 60000);
	g_assert_cmpuint(rdsr(flash), ==, 0x00);
	g_assert_cmpuint(byte_at(flash, 0x10), ==, 0xFF);
	g_assert_cmpuint(byte_at(flash, 0), ==, 0xFF); /* erased */
}

static void
test_mapped_wrap(void)
{
	g_autoptr(WfSimFlash) flash = flash_new_fast();
	guint8 buf[8];

	wren(flash);
	xfer(flash, "\x02\x00\x00\x00\x11\x22\x33\x44", 8, NULL, 0);
	wren(flash);
	xfer(flash, "\x02\x0F\xFF\xFC\xAA\xBB\xCC\xDD", 8, NULL, 0);
	g_assert_cmpuint(wf_sim_flash_read_mapped32(flash, 0), ==, 0x44332211);
	/* past the end the window mirrors [I] */
	g_assert_cmpuint(wf_sim_flash_read_mapped32(flash, SIZE), ==, 0x44332211);
	wf_sim_flash_read_mapped(flash, SIZE - 4, buf, 8);
	g_assert_cmpmem(buf, 8, "\xAA\xBB\xCC\xDD\x11\x22\x33\x44", 8);
	/* the 24-bit address of a read wraps too */
	xfer(flash, "\x03\x0F\xFF\xFE", 4, buf, 4);
	g_assert_cmpmem(buf, 4, "\xCC\xDD\x11\x22", 4);
}

static void
test_file_backed(void)
{
	g_autofree gchar *dir = g_dir_make_tmp("wf-sim-flash-XXXXXX", NULL);
	g_autofree gchar *path = g_build_filename(dir, "flash.bin", NULL);
	g_autofree guint8 *init = g_malloc(SIZE);
	g_autofree gchar *contents = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(WfSimFlash) flash = NULL;
	WfSimFlashTiming timing = {0};
	gsize len = 0;

	memset(init, 0xFF, SIZE);
	init[5] = 0x5A;
	g_file_set_contents(path, (const gchar *)init, SIZE, &error);
	g_assert_no_error(error);
	flash = wf_sim_flash_new_for_file(path, jedec, &error);
	g_assert_no_error(error);
	wf_sim_flash_set_timing(flash, &timing);
	g_assert_cmpuint(wf_sim_flash_get_size(flash), ==, SIZE);
	g_assert_cmpuint(byte_at(flash, 5), ==, 0x5A);
	wren(flash);
	xfer(flash, "\x02\x00\x00\x06\x42", 5, NULL, 0);
	/* MAP_SHARED: the file has the change without any sync */
	g_file_get_contents(path, &contents, &len, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(len, ==, SIZE);
	g_assert_cmpuint((guint8)contents[6], ==, 0x42);
	g_assert_true(wf_sim_flash_sync(flash, &error));
	g_assert_no_error(error);
	g_clear_object(&flash);

	/* a file whose size is no flash size is refused */
	g_file_set_contents(path, "abc", 3, &error);
	g_assert_no_error(error);
	flash = wf_sim_flash_new_for_file(path, jedec, &error);
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE);
	g_assert_null(flash);
	g_unlink(path);
	g_rmdir(dir);
}

static guint32
sfi_ctrl(WfSimSfi *sfi)
{
	return wf_sim_sfi_read32(sfi, WF_SIM_SFI_REG_CONTROL);
}

static void
test_sfi_controller(void)
{
	g_autoptr(WfSimFlash) flash = flash_new_fast();
	g_autoptr(WfSimSfi) sfi = wf_sim_sfi_new(flash);

	g_assert_cmpuint(wf_sim_sfi_read32(sfi, WF_SIM_SFI_REG_STATUS), ==, 0x100);
	wf_sim_sfi_write32(sfi, WF_SIM_SFI_GPRAM, 0x9F);
	wf_sim_sfi_write32(sfi, WF_SIM_SFI_REG_SEND_LEN, 1);
	wf_sim_sfi_write32(sfi, WF_SIM_SFI_REG_RECV_LEN, 3);
	/* macro mode alone shows bit1 but starts nothing */
	wf_sim_sfi_write32(sfi, WF_SIM_SFI_REG_CONTROL, 0x08);
	g_assert_cmpuint(sfi_ctrl(sfi), ==, 0x0A);
	g_assert_cmpuint(wf_sim_sfi_read32(sfi, WF_SIM_SFI_GPRAM), ==, 0x9F);
	/* start: busy shows once, then the bytes follow the sent one */
	wf_sim_sfi_write32(sfi, WF_SIM_SFI_REG_CONTROL, 0x0C);
	g_assert_cmpuint(wf_sim_sfi_read32(sfi, WF_SIM_SFI_REG_STATUS), ==, 0);
	g_assert_cmpuint(sfi_ctrl(sfi), ==, 0x0F);
	g_assert_cmpuint(sfi_ctrl(sfi), ==, 0x0E);
	g_assert_cmpuint(wf_sim_sfi_read32(sfi, WF_SIM_SFI_REG_STATUS), ==, 0x100);
	g_assert_cmpuint(wf_sim_sfi_read32(sfi, WF_SIM_SFI_GPRAM), ==, 0x1460C89F);
	/* QPI bit set as the mediatek_flash payload does (0x1C): same result [I] */
	wf_sim_sfi_write32(sfi, WF_SIM_SFI_GPRAM, 0x9F);
	wf_sim_sfi_write32(sfi, WF_SIM_SFI_REG_CONTROL, 0x1C);
	g_assert_cmpuint(sfi_ctrl(sfi), ==, 0x1F);
	g_assert_cmpuint(wf_sim_sfi_read32(sfi, WF_SIM_SFI_GPRAM), ==, 0x1460C89F);
	/* leaving: bit1 lingers one read */
	wf_sim_sfi_write32(sfi, WF_SIM_SFI_REG_CONTROL, 0x00);
	g_assert_cmpuint(sfi_ctrl(sfi), ==, 0x02);
	g_assert_cmpuint(sfi_ctrl(sfi), ==, 0x00);
	/* a transaction the host never waited for is aborted */
	g_assert_cmpuint(wf_sim_sfi_get_aborted_count(sfi), ==, 0);
	wf_sim_sfi_write32(sfi, WF_SIM_SFI_GPRAM, 0x06);
	wf_sim_sfi_write32(sfi, WF_SIM_SFI_REG_SEND_LEN, 1);
	wf_sim_sfi_write32(sfi, WF_SIM_SFI_REG_RECV_LEN, 0);
	wf_sim_sfi_write32(sfi, WF_SIM_SFI_REG_CONTROL, 0x0C);
	wf_sim_sfi_write32(sfi, WF_SIM_SFI_REG_CONTROL, 0x00);
	g_assert_cmpuint(wf_sim_sfi_get_aborted_count(sfi), ==, 1);
	g_assert_cmpuint(wf_sim_flash_get_status(flash), ==, 0x00); /* no WREN happened */
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/sim/flash/identify", test_identify);
	g_test_add_func("/sim/flash/wel", test_wel);
	g_test_add_func("/sim/flash/program-and-erase", test_program_and_erase);
	g_test_add_func("/sim/flash/page-wrap", test_page_wrap);
	g_test_add_func("/sim/flash/protection", test_protection);
	g_test_add_func("/sim/flash/wip-timing", test_wip_timing);
	g_test_add_func("/sim/flash/mapped-wrap", test_mapped_wrap);
	g_test_add_func("/sim/flash/file-backed", test_file_backed);
	g_test_add_func("/sim/flash/sfi-controller", test_sfi_controller);
	return g_test_run();
}
