/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-sim-test-util.h"

#include <string.h>

#include "wf-error.h"

#define WF_SIM_TEST_TIMEOUT_MS 2000

void
wf_sim_test_config_init_fast(WfSimConfig *config)
{
	wf_sim_config_init(config);
	config->rate = 0;
	config->turnaround_us = 0;
	config->lifetime_ms = 0;
	config->fast_nor = TRUE;
	config->flash_size = 4 * 1024 * 1024;
}

WfSimWatch *
wf_sim_test_watch_new(const WfSimConfig *config)
{
	g_autoptr(GError) error = NULL;
	WfSimWatch *watch = wf_sim_watch_new(config, &error);
	g_assert_no_error(error);
	g_assert_nonnull(watch);
	return watch;
}

WfTransport *
wf_sim_test_wait_port(WfSimWatch *watch)
{
	g_autoptr(GError) error = NULL;
	WfTransport *port = wf_sim_watch_wait_port(watch, WF_SIM_TEST_TIMEOUT_MS, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(port);
	return port;
}

void
wf_sim_test_handshake(WfTransport *port)
{
	wf_sim_test_exchange(port, "A0", "5F");
	wf_sim_test_exchange(port, "0A", "F5");
	wf_sim_test_exchange(port, "50", "AF");
	wf_sim_test_exchange(port, "05", "FA");
}

WfTransport *
wf_sim_test_connect(WfSimWatch *watch)
{
	WfTransport *port;

	wf_sim_watch_plug_in(watch);
	port = wf_sim_test_wait_port(watch);
	wf_sim_test_handshake(port);
	return port;
}

GByteArray *
wf_sim_test_parse_hex(const gchar *hex)
{
	GByteArray *buf = g_byte_array_new();
	gint hi = -1;

	for (const gchar *p = hex; *p != '\0'; p++) {
		gint v;
		if (*p == ' ')
			continue;
		v = g_ascii_xdigit_value(*p);
		g_assert_cmpint(v, >=, 0);
		if (hi < 0) {
			hi = v;
		} else {
			guint8 b = (guint8)((hi << 4) | v);
			g_byte_array_append(buf, &b, 1);
			hi = -1;
		}
	}
	g_assert_cmpint(hi, ==, -1);
	return buf;
}

void
wf_sim_test_send(WfTransport *port, const gchar *hex)
{
	g_autoptr(GByteArray) buf = wf_sim_test_parse_hex(hex);
	g_autoptr(GError) error = NULL;

	wf_transport_write(port, buf->data, buf->len, WF_SIM_TEST_TIMEOUT_MS, NULL, &error);
	g_assert_no_error(error);
}

void
wf_sim_test_read(WfTransport *port, guint8 *buf, gsize len)
{
	g_autoptr(GError) error = NULL;

	wf_transport_read_exact(port, buf, len, WF_SIM_TEST_TIMEOUT_MS, NULL, &error);
	g_assert_no_error(error);
}

void
wf_sim_test_expect(WfTransport *port, const gchar *hex)
{
	g_autoptr(GByteArray) want = wf_sim_test_parse_hex(hex);
	g_autofree guint8 *got = g_malloc(want->len);

	wf_sim_test_read(port, got, want->len);
	g_assert_cmpmem(got, want->len, want->data, want->len);
}

void
wf_sim_test_expect_silence(WfTransport *port, guint ms)
{
	g_autoptr(GError) error = NULL;
	guint8 b;
	gsize got = 0;

	g_assert_false(wf_transport_read(port, &b, 1, &got, ms, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_TIMED_OUT);
}

void
wf_sim_test_exchange(WfTransport *port, const gchar *send, const gchar *expect)
{
	wf_sim_test_send(port, send);
	wf_sim_test_expect(port, expect);
}

static guint32
wf_sim_test_be(const guint8 *b, guint n)
{
	guint32 v = 0;
	for (guint i = 0; i < n; i++)
		v = (v << 8) | b[i];
	return v;
}

guint32
wf_sim_test_read32(WfTransport *port, guint32 addr)
{
	g_autofree gchar *cmd = g_strdup_printf("D1 %08X 00000001", addr);
	guint8 reply[8];

	wf_sim_test_exchange(port, cmd, cmd);
	wf_sim_test_read(port, reply, sizeof(reply));
	g_assert_cmpuint(wf_sim_test_be(reply, 2), ==, 0x0000);
	g_assert_cmpuint(wf_sim_test_be(reply + 6, 2), ==, 0x0000);
	return wf_sim_test_be(reply + 2, 4);
}

guint16
wf_sim_test_read16(WfTransport *port, guint32 addr)
{
	g_autofree gchar *cmd = g_strdup_printf("D0 %08X 00000001", addr);
	guint8 reply[6];

	wf_sim_test_exchange(port, cmd, cmd);
	wf_sim_test_read(port, reply, sizeof(reply));
	g_assert_cmpuint(wf_sim_test_be(reply, 2), ==, 0x0000);
	g_assert_cmpuint(wf_sim_test_be(reply + 4, 2), ==, 0x0000);
	return (guint16)wf_sim_test_be(reply + 2, 2);
}

void
wf_sim_test_write32(WfTransport *port, guint32 addr, guint32 value)
{
	g_autofree gchar *cmd = g_strdup_printf("D4 %08X 00000001", addr);
	g_autofree gchar *val = g_strdup_printf("%08X", value);
	g_autofree gchar *echo = g_strdup_printf("%08X 0001", value);

	wf_sim_test_exchange(port, cmd, cmd);
	wf_sim_test_expect(port, "0001");
	wf_sim_test_exchange(port, val, echo);
}

void
wf_sim_test_write16(WfTransport *port, guint32 addr, guint16 value)
{
	g_autofree gchar *cmd = g_strdup_printf("D2 %08X 00000001", addr);
	g_autofree gchar *val = g_strdup_printf("%04X", value);
	g_autofree gchar *echo = g_strdup_printf("%04X 0001", value);

	wf_sim_test_exchange(port, cmd, cmd);
	wf_sim_test_expect(port, "0001");
	wf_sim_test_exchange(port, val, echo);
}

#define SFI_CTRL  0xA0140000u
#define SFI_STAT  0xA0140008u
#define SFI_SEND  0xA0140010u
#define SFI_RECV  0xA0140014u
#define SFI_GPRAM 0xA0140800u

GByteArray *
wf_sim_test_sfi(WfTransport *port, const guint8 *tx, gsize tx_len, gsize rx_len)
{
	GByteArray *rx = g_byte_array_sized_new(rx_len);
	guint8 gpram[0x400] = {0};
	guint32 ctrl;
	guint polls = 0;

	memcpy(gpram, tx, tx_len);
	for (gsize i = 0; i < tx_len; i += 4) {
		guint32 w = (guint32)gpram[i] | ((guint32)gpram[i + 1] << 8) |
			    ((guint32)gpram[i + 2] << 16) | ((guint32)gpram[i + 3] << 24);
		wf_sim_test_write32(port, SFI_GPRAM + (guint32)i, w);
	}
	wf_sim_test_write32(port, SFI_SEND, (guint32)tx_len);
	wf_sim_test_write32(port, SFI_RECV, (guint32)rx_len);
	g_assert_cmpuint(wf_sim_test_read32(port, SFI_STAT) & 0x100, ==, 0x100);
	ctrl = wf_sim_test_read32(port, SFI_CTRL);
	wf_sim_test_write32(port, SFI_CTRL, (ctrl | 0x0C) & ~0x10u);
	do {
		ctrl = wf_sim_test_read32(port, SFI_CTRL);
		g_assert_cmpuint(++polls, <, 10);
	} while ((ctrl & 0x02) == 0);
	while (ctrl & 0x01) {
		ctrl = wf_sim_test_read32(port, SFI_CTRL);
		g_assert_cmpuint(++polls, <, 10);
	}
	wf_sim_test_write32(port, SFI_CTRL, ctrl & ~0x1Cu);
	do {
		ctrl = wf_sim_test_read32(port, SFI_CTRL);
		g_assert_cmpuint(++polls, <, 10);
	} while (ctrl & 0x0A);
	for (gsize i = 0; i < rx_len; i++) {
		gsize off = tx_len + i;
		guint32 w = wf_sim_test_read32(port, SFI_GPRAM + (guint32)(off & ~(gsize)3));
		guint8 b = (w >> ((off & 3) * 8)) & 0xFF;
		g_byte_array_append(rx, &b, 1);
	}
	return rx;
}
