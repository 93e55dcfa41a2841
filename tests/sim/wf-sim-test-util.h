/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wf-sim-watch.h"
#include "wf-transport.h"

G_BEGIN_DECLS

/* A config for fast, deterministic tests: in memory, unthrottled, no
 * latency, the port never times out, NOR operations take no time. */
void
wf_sim_test_config_init_fast(WfSimConfig *config);
WfSimWatch *
wf_sim_test_watch_new(const WfSimConfig *config);
WfTransport *
wf_sim_test_wait_port(WfSimWatch *watch);
void
wf_sim_test_handshake(WfTransport *port);
WfTransport *
wf_sim_test_connect(WfSimWatch *watch);

GByteArray *
wf_sim_test_parse_hex(const gchar *hex);
void
wf_sim_test_send(WfTransport *port, const gchar *hex);
void
wf_sim_test_expect(WfTransport *port, const gchar *hex);
void
wf_sim_test_expect_silence(WfTransport *port, guint ms);
void
wf_sim_test_read(WfTransport *port, guint8 *buf, gsize len);
void
wf_sim_test_exchange(WfTransport *port, const gchar *send, const gchar *expect);

/* BROM commands, asserting the documented framing */
guint32
wf_sim_test_read32(WfTransport *port, guint32 addr);
guint16
wf_sim_test_read16(WfTransport *port, guint32 addr);
void
wf_sim_test_write32(WfTransport *port, guint32 addr, guint32 value);
void
wf_sim_test_write16(WfTransport *port, guint32 addr, guint16 value);

/* one SFI transaction the documented way (protocol.md §3.11) */
GByteArray *
wf_sim_test_sfi(WfTransport *port, const guint8 *tx, gsize tx_len, gsize rx_len);

G_END_DECLS
