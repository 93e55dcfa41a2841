/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-sim-brom.h"

#include <string.h>

#include "wf-error.h"

/*
 * The MT6261 BootROM's USB download loop, from the chip's side
 * (protocol.md §2–§3). Written from the documentation alone: it shares no
 * code or constants with the client.
 *
 * One WfSimBrom lives from a power-on (port appearance) to the end of that
 * session. It reads the host's bytes one command at a time, answering with
 * echo-first semantics; every blocking read carries the deadline of the
 * port's lifetime (before the handshake) or of the charger watchdog (after).
 */

/* handshake, §2 */
static const guint8 wf_sim_brom_handshake_seq[4] = {0xA0, 0x0A, 0x50, 0x05};

/* commands, §3.2 */
enum {
	WF_SIM_BROM_LEGACY_READ16 = 0xA2,
	WF_SIM_BROM_READ16 = 0xD0,
	WF_SIM_BROM_READ32 = 0xD1,
	WF_SIM_BROM_WRITE16 = 0xD2,
	WF_SIM_BROM_WRITE16_NO_ECHO = 0xD3,
	WF_SIM_BROM_WRITE32 = 0xD4,
	WF_SIM_BROM_JUMP_DA = 0xD5,
	WF_SIM_BROM_JUMP_BL = 0xD6,
	WF_SIM_BROM_SEND_DA = 0xD7,
	WF_SIM_BROM_GET_TARGET_CONFIG = 0xD8,
	WF_SIM_BROM_SEND_ENV_PREPARE = 0xD9,
	WF_SIM_BROM_BUFFER_ACCESS = 0xDA,
	WF_SIM_BROM_UART1_LOG_EN = 0xDB,
	WF_SIM_BROM_UART1_SET_BAUD = 0xDC,
	WF_SIM_BROM_DEBUG_LOG = 0xDD,
	WF_SIM_BROM_CERT_UPLOAD = 0xDF,
	WF_SIM_BROM_GET_ME_ID = 0xE1,
	WF_SIM_BROM_SEND_AUTH = 0xE2,
	WF_SIM_BROM_CMD_E4 = 0xE4,
	WF_SIM_BROM_CMD_E5 = 0xE5,
	WF_SIM_BROM_CMD_E6 = 0xE6,
	WF_SIM_BROM_GET_VERSION = 0xFF,
};

/* statuses, §3.4 */
enum {
	WF_SIM_BROM_OK = 0x0000,
	WF_SIM_BROM_WRITE_OK = 0x0001,
	WF_SIM_BROM_WRITE_MASKED = 0x0002, /* [I] the class value is not documented */
	WF_SIM_BROM_E_WRITE16_ALIGN = 0x1D00,
	WF_SIM_BROM_E_WRITE32_ALIGN = 0x1D01,
	WF_SIM_BROM_E_WRITE_PROTECTED = 0x1D02,
	WF_SIM_BROM_E_WRITE_DA_OVERLAP = 0x1D03,
	WF_SIM_BROM_E_WRITE_RANGE = 0x1D04,
	WF_SIM_BROM_E_WRITE_COUNT_0 = 0x1D05,
	WF_SIM_BROM_E_READ16_ALIGN = 0x1D06,
	WF_SIM_BROM_E_READ32_ALIGN = 0x1D07,
	WF_SIM_BROM_E_READ_PROTECTED = 0x1D08,
	WF_SIM_BROM_E_READ_COUNT_0 = 0x1D09,
	WF_SIM_BROM_E_READ_RANGE = 0x1D0A,
	WF_SIM_BROM_E_DA_OVERLAP = 0x1D0E,
	WF_SIM_BROM_E_DA_JUMP_ADDR = 0x1D0F,
	WF_SIM_BROM_E_DA_MAX_BLOCKS = 0x1D10,
	WF_SIM_BROM_E_DA_ALIGN = 0x1D11,
	WF_SIM_BROM_E_DA_RANGE = 0x1D12,
	WF_SIM_BROM_E_DA_LEN_0 = 0x1D13,
	WF_SIM_BROM_E_DA_SIG_LEN = 0x1D14,
	WF_SIM_BROM_E_DA_NOT_EXIST = 0x1D16,
	WF_SIM_BROM_E_WRITE_TOO_LARGE = 0x1D18,
	WF_SIM_BROM_E_READ_TOO_LARGE = 0x1D19,
	WF_SIM_BROM_E_BAUD = 0x7028,
	WF_SIM_BROM_E_NOT_SUPPORTED = 0x703A,
};

#define WF_SIM_BROM_VERSION	  0x05
#define WF_SIM_BROM_MAX_DA_BLOCKS 10
#define WF_SIM_BROM_TARGET_CONFIG 0x00000000 /* no SBC/SLA/DAA, §3.6 */
#define WF_SIM_BROM_STREAM_CHUNK  (64 * 1024)

/* spans the BROM refuses for READ/WRITE/SEND_DA, §3.5 (end exclusive) */
static const struct {
	guint64 start;
	guint64 end;
} wf_sim_brom_refused[] = {
	{0x70002000, 0x70005CF8},  /* BROM private data */
	{0x7000B000, 0x78000000},  /* BROM stack and beyond */
	{0xA0110000, 0xA0120000},  /* SEJ security engine */
	{0xFFF00000, 0x100000000}, /* the BootROM itself */
};

/* writes here succeed with a different permission class and masked data */
#define WF_SIM_BROM_MASKED_START 0x70002000u
#define WF_SIM_BROM_MASKED_END	 0x7000B000u

struct _WfSimBrom {
	GObject parent_instance;
	WfSimMemory *memory;
	WfSimLink *link;
	WfSimFaults *faults;
	guint8 me_id[16];
	gint64 appear_us;
	guint lifetime_ms;
	guint charger_wdt_ms;
	gboolean handshake_done;
	gint64 handshake_us;
	GArray *blocks; /* of WfSimDaBlock */
	WfSimDaFunc da_func;
	gpointer da_user_data;
	WfSimBromEventFunc event_func;
	gpointer event_user_data;
	WfSimBromExit exit;
};

G_DEFINE_FINAL_TYPE(WfSimBrom, wf_sim_brom, G_TYPE_OBJECT)

static void
wf_sim_brom_finalize(GObject *object)
{
	WfSimBrom *self = WF_SIM_BROM(object);

	g_clear_object(&self->memory);
	g_clear_object(&self->link);
	g_clear_object(&self->faults);
	g_array_unref(self->blocks);
	G_OBJECT_CLASS(wf_sim_brom_parent_class)->finalize(object);
}

static void
wf_sim_brom_class_init(WfSimBromClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_sim_brom_finalize;
}

static void
wf_sim_brom_init(WfSimBrom *self)
{
	self->blocks = g_array_new(FALSE, TRUE, sizeof(WfSimDaBlock));
	self->appear_us = g_get_monotonic_time();
	self->lifetime_ms = 0;
}

/**
 * wf_sim_brom_new:
 * @memory: the chip's bus, fresh from power-on
 * @link: the port's link
 * @faults: (nullable): faults to inject
 * @me_id: the chip's 16-byte ME ID
 */
WfSimBrom *
wf_sim_brom_new(WfSimMemory *memory, WfSimLink *link, WfSimFaults *faults, const guint8 me_id[16])
{
	WfSimBrom *self;

	g_return_val_if_fail(WF_IS_SIM_MEMORY(memory), NULL);
	g_return_val_if_fail(WF_IS_SIM_LINK(link), NULL);
	g_return_val_if_fail(me_id != NULL, NULL);

	self = g_object_new(WF_TYPE_SIM_BROM, NULL);
	self->memory = g_object_ref(memory);
	self->link = g_object_ref(link);
	self->faults = faults != NULL ? g_object_ref(faults) : wf_sim_faults_new();
	memcpy(self->me_id, me_id, sizeof(self->me_id));
	return self;
}

/**
 * wf_sim_brom_set_timeouts:
 * @self: a #WfSimBrom
 * @appear_us: monotonic time the port appeared
 * @lifetime_ms: the port goes this long after @appear_us unless the
 *   handshake completed; 0 = never
 * @charger_wdt_ms: after the handshake the port goes when this long passes
 *   without a write to 0xA0700A24; 0 = never
 */
void
wf_sim_brom_set_timeouts(WfSimBrom *self, gint64 appear_us, guint lifetime_ms, guint charger_wdt_ms)
{
	g_return_if_fail(WF_IS_SIM_BROM(self));
	self->appear_us = appear_us;
	self->lifetime_ms = lifetime_ms;
	self->charger_wdt_ms = charger_wdt_ms;
}

/**
 * wf_sim_brom_set_da_func:
 * @self: a #WfSimBrom
 * @func: (nullable): the DA emulation to run after a successful JUMP_DA
 * @user_data: for @func
 */
void
wf_sim_brom_set_da_func(WfSimBrom *self, WfSimDaFunc func, gpointer user_data)
{
	g_return_if_fail(WF_IS_SIM_BROM(self));
	self->da_func = func;
	self->da_user_data = user_data;
}

/**
 * wf_sim_brom_set_event_func:
 * @self: a #WfSimBrom
 * @func: (nullable): called from the session's thread
 * @user_data: for @func
 */
void
wf_sim_brom_set_event_func(WfSimBrom *self, WfSimBromEventFunc func, gpointer user_data)
{
	g_return_if_fail(WF_IS_SIM_BROM(self));
	self->event_func = func;
	self->event_user_data = user_data;
}

/**
 * wf_sim_brom_exit_to_string:
 * @exit: why a session ended
 *
 * Returns: a short name, as used in the simulator's events
 */
const gchar *
wf_sim_brom_exit_to_string(WfSimBromExit exit)
{
	switch (exit) {
	case WF_SIM_BROM_EXIT_LOST:
		return "lost";
	case WF_SIM_BROM_EXIT_LIFETIME:
		return "lifetime";
	case WF_SIM_BROM_EXIT_CHARGER_WDT:
		return "charger-wdt";
	case WF_SIM_BROM_EXIT_RESET:
		return "reset";
	case WF_SIM_BROM_EXIT_BOOT:
		return "boot";
	default:
		return "unknown";
	}
}

static void
wf_sim_brom_emit(WfSimBrom *self, WfSimBromEvent event, guint32 value)
{
	if (self->event_func != NULL)
		self->event_func(self, event, value, self->event_user_data);
}

/* the moment the port goes unless the host does something */
static gint64
wf_sim_brom_deadline(WfSimBrom *self)
{
	gint64 kick;

	if (!self->handshake_done) {
		if (self->lifetime_ms == 0)
			return WF_SIM_FOREVER;
		return self->appear_us + (gint64)self->lifetime_ms * 1000;
	}
	if (self->charger_wdt_ms == 0)
		return WF_SIM_FOREVER;
	kick = MAX(self->handshake_us, wf_sim_memory_get_charger_kick_time(self->memory));
	return kick + (gint64)self->charger_wdt_ms * 1000;
}

static gboolean
wf_sim_brom_fail(WfSimBrom *self, const GError *error)
{
	if (g_error_matches(error, WF_ERROR, WF_ERROR_TIMED_OUT))
		self->exit = self->handshake_done ? WF_SIM_BROM_EXIT_CHARGER_WDT
						  : WF_SIM_BROM_EXIT_LIFETIME;
	else
		self->exit = WF_SIM_BROM_EXIT_LOST;
	return FALSE;
}

/* reads exactly @n bytes; FALSE = the session is over (self->exit says why) */
static gboolean
wf_sim_brom_read(WfSimBrom *self, guint8 *buf, gsize n)
{
	gsize done = 0;

	while (done < n) {
		g_autoptr(GError) error = NULL;
		gsize got = 0;

		if (!wf_sim_link_read(self->link,
				      WF_SIM_DIRECTION_OUT,
				      buf + done,
				      n - done,
				      &got,
				      wf_sim_brom_deadline(self),
				      NULL,
				      &error)) {
			/* a kick may have moved the deadline meanwhile */
			if (g_error_matches(error, WF_ERROR, WF_ERROR_TIMED_OUT) &&
			    g_get_monotonic_time() < wf_sim_brom_deadline(self))
				continue;
			return wf_sim_brom_fail(self, error);
		}
		done += got;
	}
	return TRUE;
}

static gboolean
wf_sim_brom_write(WfSimBrom *self, const guint8 *buf, gsize n)
{
	g_autoptr(GError) error = NULL;

	if (!wf_sim_link_write(self->link,
			       WF_SIM_DIRECTION_IN,
			       buf,
			       n,
			       wf_sim_brom_deadline(self),
			       NULL,
			       &error))
		return wf_sim_brom_fail(self, error);
	return TRUE;
}

static gboolean
wf_sim_brom_write_u16(WfSimBrom *self, guint16 value)
{
	guint8 b[2] = {value >> 8, value & 0xFF};
	return wf_sim_brom_write(self, b, sizeof(b));
}

static gboolean
wf_sim_brom_write_u32(WfSimBrom *self, guint32 value)
{
	guint8 b[4] = {value >> 24, (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF};
	return wf_sim_brom_write(self, b, sizeof(b));
}

static gboolean
wf_sim_brom_echo_byte(WfSimBrom *self, guint8 byte)
{
	return wf_sim_brom_write(self, &byte, 1);
}

/* reads a big-endian u32 argument and echoes it, §3.1 */
static gboolean
wf_sim_brom_read_arg(WfSimBrom *self, guint32 *value)
{
	guint8 b[4];

	if (!wf_sim_brom_read(self, b, sizeof(b)))
		return FALSE;
	if (!wf_sim_brom_write(self, b, sizeof(b)))
		return FALSE;
	*value = ((guint32)b[0] << 24) | ((guint32)b[1] << 16) | ((guint32)b[2] << 8) | b[3];
	return TRUE;
}

/* ignores everything until the port goes: a halted BROM, or a DA that does
 * not exist yet */
static gboolean
wf_sim_brom_stay_silent(WfSimBrom *self)
{
	guint8 buf[4096];

	for (;;) {
		g_autoptr(GError) error = NULL;
		gsize got = 0;

		if (!wf_sim_link_read(self->link,
				      WF_SIM_DIRECTION_OUT,
				      buf,
				      sizeof(buf),
				      &got,
				      wf_sim_brom_deadline(self),
				      NULL,
				      &error)) {
			if (g_error_matches(error, WF_ERROR, WF_ERROR_TIMED_OUT) &&
			    g_get_monotonic_time() < wf_sim_brom_deadline(self))
				continue;
			return wf_sim_brom_fail(self, error);
		}
		g_debug("BROM: silent, ignoring %zu bytes", got);
	}
}

/* SEND_DA/JUMP_DA errors: one status, then never another answer, §3.3 [X] */
static gboolean
wf_sim_brom_halt(WfSimBrom *self, guint16 status)
{
	g_info("BROM: fatal status 0x%04X; the boot ROM stops answering", status);
	if (!wf_sim_brom_write_u16(self, status))
		return FALSE;
	wf_sim_brom_emit(self, WF_SIM_BROM_EVENT_HALTED, status);
	return wf_sim_brom_stay_silent(self);
}

static gboolean
wf_sim_brom_handshake(WfSimBrom *self)
{
	gboolean silent = wf_sim_faults_get_no_handshake(self->faults);
	guint i = 0;

	while (i < G_N_ELEMENTS(wf_sim_brom_handshake_seq)) {
		guint8 b, reply;

		if (!wf_sim_brom_read(self, &b, 1))
			return FALSE;
		if (silent)
			continue;
		if (b == wf_sim_brom_handshake_seq[i]) {
			reply = (guint8)~b;
			i++;
		} else {
			/* the b+1 resync rule: the host learns where it stands */
			reply = (guint8)(b + 1);
			i = 0;
		}
		if (wf_sim_faults_take_bad_handshake(self->faults)) {
			reply = (guint8)(~b ^ 0x01);
			i = 0;
		}
		if (!wf_sim_brom_write(self, &reply, 1))
			return FALSE;
	}
	self->handshake_done = TRUE;
	self->handshake_us = g_get_monotonic_time();
	g_debug("BROM: handshake done");
	wf_sim_brom_emit(self, WF_SIM_BROM_EVENT_HANDSHAKE, 0);
	return TRUE;
}

static gboolean
wf_sim_brom_span_refused(guint64 start, guint64 end)
{
	for (guint i = 0; i < G_N_ELEMENTS(wf_sim_brom_refused); i++) {
		if (start < wf_sim_brom_refused[i].end && end > wf_sim_brom_refused[i].start)
			return TRUE;
	}
	return FALSE;
}

static gboolean
wf_sim_brom_span_hits_da_block(WfSimBrom *self, guint64 start, guint64 end)
{
	for (guint i = 0; i < self->blocks->len; i++) {
		WfSimDaBlock *b = &g_array_index(self->blocks, WfSimDaBlock, i);
		if (start < (guint64)b->addr + b->len && end > b->addr)
			return TRUE;
	}
	return FALSE;
}

static guint16
wf_sim_brom_check_read(guint32 addr, guint32 count, guint width)
{
	guint64 end = (guint64)addr + (guint64)count * width;

	if (count == 0)
		return WF_SIM_BROM_E_READ_COUNT_0;
	if (addr % width != 0)
		return width == 4 ? WF_SIM_BROM_E_READ32_ALIGN : WF_SIM_BROM_E_READ16_ALIGN;
	if (count >= (width == 4 ? 1u << 30 : 1u << 31))
		return WF_SIM_BROM_E_READ_TOO_LARGE;
	if (end > G_GUINT64_CONSTANT(0x100000000))
		return WF_SIM_BROM_E_READ_RANGE; /* [I] what the secondary check is */
	if (wf_sim_brom_span_refused(addr, end))
		return WF_SIM_BROM_E_READ_PROTECTED;
	return WF_SIM_BROM_OK;
}

static guint16
wf_sim_brom_check_write(WfSimBrom *self, guint32 addr, guint32 count, guint width)
{
	guint64 end = (guint64)addr + (guint64)count * width;

	if (count == 0)
		return WF_SIM_BROM_E_WRITE_COUNT_0;
	if (addr % width != 0)
		return width == 4 ? WF_SIM_BROM_E_WRITE32_ALIGN : WF_SIM_BROM_E_WRITE16_ALIGN;
	if (count >= (width == 4 ? 1u << 30 : 1u << 31))
		return WF_SIM_BROM_E_WRITE_TOO_LARGE;
	if (end > G_GUINT64_CONSTANT(0x100000000))
		return WF_SIM_BROM_E_WRITE_RANGE; /* [I] */
	if (wf_sim_brom_span_refused(addr, end))
		return WF_SIM_BROM_E_WRITE_PROTECTED;
	if (wf_sim_brom_span_hits_da_block(self, addr, end))
		return WF_SIM_BROM_E_WRITE_DA_OVERLAP;
	if (addr < WF_SIM_BROM_MASKED_END && end > WF_SIM_BROM_MASKED_START)
		return WF_SIM_BROM_WRITE_MASKED;
	return WF_SIM_BROM_WRITE_OK;
}

/* streams @count words of @width bytes from @addr as big-endian values */
static gboolean
wf_sim_brom_stream_words(WfSimBrom *self, guint32 addr, guint32 count, guint width)
{
	gboolean filter = wf_sim_faults_has_read_faults(self->faults);
	g_autofree guint8 *raw = g_malloc(WF_SIM_BROM_STREAM_CHUNK);
	g_autofree guint8 *out = g_malloc(WF_SIM_BROM_STREAM_CHUNK);
	guint64 total = (guint64)count * width;
	guint64 done = 0;

	while (done < total) {
		gsize n = (gsize)MIN(total - done, (guint64)WF_SIM_BROM_STREAM_CHUNK);
		guint32 base = addr + (guint32)done;

		wf_sim_memory_read_bytes(self->memory, base, raw, n);
		for (gsize i = 0; i < n; i += width) {
			guint32 a = base + (guint32)i;
			if (width == 4) {
				guint32 v = (guint32)raw[i] | ((guint32)raw[i + 1] << 8) |
					    ((guint32)raw[i + 2] << 16) |
					    ((guint32)raw[i + 3] << 24);
				if (filter)
					v = wf_sim_faults_filter_read32(self->faults, a, v);
				out[i] = v >> 24;
				out[i + 1] = (v >> 16) & 0xFF;
				out[i + 2] = (v >> 8) & 0xFF;
				out[i + 3] = v & 0xFF;
			} else {
				guint16 v = (guint16)(raw[i] | (raw[i + 1] << 8));
				if (filter)
					v = wf_sim_faults_filter_read16(self->faults, a, v);
				out[i] = v >> 8;
				out[i + 1] = v & 0xFF;
			}
		}
		if (!wf_sim_brom_write(self, out, n))
			return FALSE;
		done += n;
	}
	return TRUE;
}

/* A2 / D0 / D1, §3.3 */
static gboolean
wf_sim_brom_cmd_read(WfSimBrom *self, guint8 cmd)
{
	gboolean legacy = cmd == WF_SIM_BROM_LEGACY_READ16;
	guint width = cmd == WF_SIM_BROM_READ32 ? 4 : 2;
	guint32 addr = 0, count = 0;
	guint16 status;

	if (!wf_sim_brom_echo_byte(self, cmd))
		return FALSE;
	if (!wf_sim_brom_read_arg(self, &addr) || !wf_sim_brom_read_arg(self, &count))
		return FALSE;
	status = wf_sim_brom_check_read(addr, count, width);
	if (status != WF_SIM_BROM_OK) {
		g_debug("BROM: read 0x%08X×%u refused: 0x%04X", addr, count, status);
		/* the legacy read has no status words: the host just times out */
		return legacy ? TRUE : wf_sim_brom_write_u16(self, status);
	}
	if (!legacy && !wf_sim_brom_write_u16(self, WF_SIM_BROM_OK))
		return FALSE;
	if (!wf_sim_brom_stream_words(self, addr, count, width))
		return FALSE;
	return legacy ? TRUE : wf_sim_brom_write_u16(self, WF_SIM_BROM_OK);
}

static gboolean
wf_sim_brom_read_value(WfSimBrom *self, guint width, gboolean echo, guint32 *value)
{
	guint8 b[4];

	if (!wf_sim_brom_read(self, b, width))
		return FALSE;
	if (echo && !wf_sim_brom_write(self, b, width))
		return FALSE;
	*value = width == 4 ? ((guint32)b[0] << 24) | ((guint32)b[1] << 16) | ((guint32)b[2] << 8) |
				      b[3]
			    : ((guint32)b[0] << 8) | b[1];
	return TRUE;
}

/* D2 / D3 / D4, §3.3 */
static gboolean
wf_sim_brom_cmd_write(WfSimBrom *self, guint8 cmd)
{
	guint width = cmd == WF_SIM_BROM_WRITE32 ? 4 : 2;
	gboolean echo = cmd != WF_SIM_BROM_WRITE16_NO_ECHO;
	guint32 addr = 0, count = 0;
	guint16 status;

	if (!wf_sim_brom_echo_byte(self, cmd))
		return FALSE;
	if (!wf_sim_brom_read_arg(self, &addr) || !wf_sim_brom_read_arg(self, &count))
		return FALSE;
	status = wf_sim_brom_check_write(self, addr, count, width);
	if (!wf_sim_brom_write_u16(self, status))
		return FALSE;
	if (status >= 0x100) {
		g_debug("BROM: write 0x%08X×%u refused: 0x%04X", addr, count, status);
		return TRUE;
	}
	for (guint32 i = 0; i < count; i++) {
		guint32 a = addr + i * width;
		guint32 value = 0;

		if (!wf_sim_brom_read_value(self, width, echo, &value))
			return FALSE;
		if (a >= WF_SIM_BROM_MASKED_START && a < WF_SIM_BROM_MASKED_END)
			value &= width == 4 ? 0x00FF00FFu : 0x00FFu;
		if (width == 4)
			wf_sim_memory_write32(self->memory, a, value);
		else
			wf_sim_memory_write16(self->memory, a, (guint16)value);
		if (wf_sim_memory_take_reset_request(self->memory)) {
			/* the chip resets before it can send the status */
			self->exit = WF_SIM_BROM_EXIT_RESET;
			return FALSE;
		}
		if (!wf_sim_brom_write_u16(self, status))
			return FALSE;
	}
	return TRUE;
}

static guint16
wf_sim_brom_check_send_da(WfSimBrom *self, guint32 addr, guint32 len, guint32 sig_len)
{
	guint64 end = (guint64)addr + len;

	if (addr & 1)
		return WF_SIM_BROM_E_DA_ALIGN;
	if (len == 0)
		return WF_SIM_BROM_E_DA_LEN_0;
	if (len <= sig_len)
		return WF_SIM_BROM_E_DA_SIG_LEN;
	if (end > G_GUINT64_CONSTANT(0x100000000) || wf_sim_brom_span_refused(addr, end))
		return WF_SIM_BROM_E_DA_RANGE;
	if (self->blocks->len >= WF_SIM_BROM_MAX_DA_BLOCKS)
		return WF_SIM_BROM_E_DA_MAX_BLOCKS;
	if (wf_sim_brom_span_hits_da_block(self, addr, end))
		return WF_SIM_BROM_E_DA_OVERLAP;
	return WF_SIM_BROM_OK;
}

/* D7 SEND_DA, §3.3 */
static gboolean
wf_sim_brom_cmd_send_da(WfSimBrom *self)
{
	g_autofree guint8 *buf = g_malloc(WF_SIM_BROM_STREAM_CHUNK);
	WfSimDaBlock block = {0};
	guint16 xor16 = 0;
	guint16 status;
	guint32 done = 0;

	if (!wf_sim_brom_echo_byte(self, WF_SIM_BROM_SEND_DA))
		return FALSE;
	if (!wf_sim_brom_read_arg(self, &block.addr) || !wf_sim_brom_read_arg(self, &block.len) ||
	    !wf_sim_brom_read_arg(self, &block.sig_len))
		return FALSE;
	status = wf_sim_brom_check_send_da(self, block.addr, block.len, block.sig_len);
	if (status != WF_SIM_BROM_OK)
		return wf_sim_brom_halt(self, status);
	if (!wf_sim_brom_write_u16(self, WF_SIM_BROM_OK))
		return FALSE;
	while (done < block.len) {
		gsize got = 0;
		g_autoptr(GError) error = NULL;

		if (!wf_sim_link_read(self->link,
				      WF_SIM_DIRECTION_OUT,
				      buf,
				      MIN(block.len - done, WF_SIM_BROM_STREAM_CHUNK),
				      &got,
				      wf_sim_brom_deadline(self),
				      NULL,
				      &error)) {
			if (g_error_matches(error, WF_ERROR, WF_ERROR_TIMED_OUT) &&
			    g_get_monotonic_time() < wf_sim_brom_deadline(self))
				continue;
			return wf_sim_brom_fail(self, error);
		}
		/* XOR of little-endian 16-bit words; an odd last byte is a low byte */
		for (gsize i = 0; i < got; i++)
			xor16 ^= (guint16)buf[i] << (((done + i) & 1) * 8);
		wf_sim_memory_write_bytes(self->memory, block.addr + done, buf, got);
		done += (guint32)got;
	}
	block.checksum = xor16;
	g_array_append_val(self->blocks, block);
	g_debug("BROM: DA block %u at 0x%08X, %u bytes, checksum 0x%04X",
		self->blocks->len,
		block.addr,
		block.len,
		block.checksum);
	if (!wf_sim_brom_write_u16(self, xor16))
		return FALSE;
	return wf_sim_brom_write_u16(self, WF_SIM_BROM_OK);
}

static gboolean
wf_sim_brom_run_da(WfSimBrom *self, guint32 jump_addr)
{
	g_autoptr(WfSimDaContext) ctx = NULL;

	wf_sim_brom_emit(self, WF_SIM_BROM_EVENT_JUMP_DA, jump_addr);
	if (self->da_func == NULL) {
		g_info("BROM: JUMP_DA to 0x%08X; no DA emulation is installed, "
		       "so the watch stays silent",
		       jump_addr);
		return wf_sim_brom_stay_silent(self);
	}
	ctx = wf_sim_da_context_new(self->link, self->memory, self->blocks, jump_addr, NULL);
	self->da_func(ctx, self->da_user_data);
	if (wf_sim_da_context_get_reset_requested(ctx)) {
		self->exit = WF_SIM_BROM_EXIT_RESET;
		return FALSE;
	}
	if (wf_sim_link_is_gone(self->link)) {
		self->exit = WF_SIM_BROM_EXIT_LOST;
		return FALSE;
	}
	return wf_sim_brom_stay_silent(self);
}

/* D5 JUMP_DA, §3.3 */
static gboolean
wf_sim_brom_cmd_jump_da(WfSimBrom *self)
{
	guint32 addr = 0;
	gboolean inside = FALSE;

	if (!wf_sim_brom_echo_byte(self, WF_SIM_BROM_JUMP_DA))
		return FALSE;
	if (!wf_sim_brom_read_arg(self, &addr))
		return FALSE;
	if (self->blocks->len == 0)
		return wf_sim_brom_halt(self, WF_SIM_BROM_E_DA_NOT_EXIST);
	for (guint i = 0; i < self->blocks->len; i++) {
		WfSimDaBlock *b = &g_array_index(self->blocks, WfSimDaBlock, i);
		if (addr >= b->addr && (guint64)addr < (guint64)b->addr + b->len - b->sig_len)
			inside = TRUE;
	}
	if (!inside)
		return wf_sim_brom_halt(self, WF_SIM_BROM_E_DA_JUMP_ADDR);
	if (!wf_sim_brom_write_u16(self, WF_SIM_BROM_OK))
		return FALSE;
	return wf_sim_brom_run_da(self, addr);
}

/* DF / E2 [I]: size echoed, status, the data, XOR16, status */
static gboolean
wf_sim_brom_cmd_upload(WfSimBrom *self, guint8 cmd)
{
	guint8 buf[4096];
	guint32 size = 0, done = 0;
	guint16 xor16 = 0;

	if (!wf_sim_brom_echo_byte(self, cmd) || !wf_sim_brom_read_arg(self, &size))
		return FALSE;
	if (!wf_sim_brom_write_u16(self, WF_SIM_BROM_OK))
		return FALSE;
	while (done < size) {
		gsize n = MIN(size - done, sizeof(buf));
		if (!wf_sim_brom_read(self, buf, n))
			return FALSE;
		for (gsize i = 0; i < n; i++)
			xor16 ^= (guint16)buf[i] << (((done + i) & 1) * 8);
		done += (guint32)n;
	}
	return wf_sim_brom_write_u16(self, xor16) && wf_sim_brom_write_u16(self, WF_SIM_BROM_OK);
}

static gboolean
wf_sim_brom_cmd_me_id(WfSimBrom *self)
{
	return wf_sim_brom_echo_byte(self, WF_SIM_BROM_GET_ME_ID) &&
	       wf_sim_brom_write_u32(self, sizeof(self->me_id)) &&
	       wf_sim_brom_write(self, self->me_id, sizeof(self->me_id)) &&
	       wf_sim_brom_write_u16(self, WF_SIM_BROM_OK);
}

static gboolean
wf_sim_brom_cmd_set_baud(WfSimBrom *self)
{
	guint32 baud = 0;

	if (!wf_sim_brom_echo_byte(self, WF_SIM_BROM_UART1_SET_BAUD) ||
	    !wf_sim_brom_read_arg(self, &baud))
		return FALSE;
	return wf_sim_brom_write_u16(
		self, baud >= 110 && baud <= 921600 ? WF_SIM_BROM_OK : WF_SIM_BROM_E_BAUD);
}

/* E6 [I]: status, length 0x30, 48 bytes, a u32, status */
static gboolean
wf_sim_brom_cmd_e6(WfSimBrom *self)
{
	guint8 zeros[48] = {0};

	return wf_sim_brom_echo_byte(self, WF_SIM_BROM_CMD_E6) &&
	       wf_sim_brom_write_u16(self, WF_SIM_BROM_OK) &&
	       wf_sim_brom_write_u32(self, sizeof(zeros)) &&
	       wf_sim_brom_write(self, zeros, sizeof(zeros)) && wf_sim_brom_write_u32(self, 0) &&
	       wf_sim_brom_write_u16(self, WF_SIM_BROM_OK);
}

/* echo, @n_args echoed u32 arguments, then a status */
static gboolean
wf_sim_brom_cmd_simple(WfSimBrom *self, guint8 cmd, guint n_args, guint16 status)
{
	if (!wf_sim_brom_echo_byte(self, cmd))
		return FALSE;
	for (guint i = 0; i < n_args; i++) {
		guint32 arg;
		if (!wf_sim_brom_read_arg(self, &arg))
			return FALSE;
	}
	return wf_sim_brom_write_u16(self, status);
}

static gboolean
wf_sim_brom_dispatch(WfSimBrom *self, guint8 cmd)
{
	guint8 version = WF_SIM_BROM_VERSION;

	switch (cmd) {
	case WF_SIM_BROM_GET_VERSION:
		return wf_sim_brom_write(self, &version, 1);
	case WF_SIM_BROM_LEGACY_READ16:
	case WF_SIM_BROM_READ16:
	case WF_SIM_BROM_READ32:
		return wf_sim_brom_cmd_read(self, cmd);
	case WF_SIM_BROM_WRITE16:
	case WF_SIM_BROM_WRITE16_NO_ECHO:
	case WF_SIM_BROM_WRITE32:
		return wf_sim_brom_cmd_write(self, cmd);
	case WF_SIM_BROM_JUMP_DA:
		return wf_sim_brom_cmd_jump_da(self);
	case WF_SIM_BROM_JUMP_BL:
		/* [I] arguments undocumented: status, then the chip boots the flash */
		if (!wf_sim_brom_echo_byte(self, cmd) ||
		    !wf_sim_brom_write_u16(self, WF_SIM_BROM_OK))
			return FALSE;
		self->exit = WF_SIM_BROM_EXIT_BOOT;
		return FALSE;
	case WF_SIM_BROM_SEND_DA:
		return wf_sim_brom_cmd_send_da(self);
	case WF_SIM_BROM_GET_TARGET_CONFIG:
		return wf_sim_brom_echo_byte(self, cmd) &&
		       wf_sim_brom_write_u32(self, WF_SIM_BROM_TARGET_CONFIG) &&
		       wf_sim_brom_write_u16(self, WF_SIM_BROM_OK);
	case WF_SIM_BROM_SEND_ENV_PREPARE:
	case WF_SIM_BROM_CMD_E4:
		return wf_sim_brom_cmd_simple(self, cmd, 0, WF_SIM_BROM_E_NOT_SUPPORTED);
	case WF_SIM_BROM_BUFFER_ACCESS:
		return wf_sim_brom_cmd_simple(self, cmd, 3, WF_SIM_BROM_OK); /* [I] status */
	case WF_SIM_BROM_UART1_LOG_EN:
		return wf_sim_brom_cmd_simple(self, cmd, 0, WF_SIM_BROM_OK);
	case WF_SIM_BROM_UART1_SET_BAUD:
		return wf_sim_brom_cmd_set_baud(self);
	case WF_SIM_BROM_DEBUG_LOG:
		/* an empty log [I] */
		return wf_sim_brom_echo_byte(self, cmd) && wf_sim_brom_write_u32(self, 0);
	case WF_SIM_BROM_CERT_UPLOAD:
	case WF_SIM_BROM_SEND_AUTH:
		return wf_sim_brom_cmd_upload(self, cmd);
	case WF_SIM_BROM_GET_ME_ID:
		return wf_sim_brom_cmd_me_id(self);
	case WF_SIM_BROM_CMD_E5:
		return wf_sim_brom_cmd_simple(self, cmd, 1, WF_SIM_BROM_OK); /* [I] */
	case WF_SIM_BROM_CMD_E6:
		return wf_sim_brom_cmd_e6(self);
	default:
		/* A0, A1, DE, E0, E3, FB–FE and anything unknown: echo only */
		return wf_sim_brom_echo_byte(self, cmd);
	}
}

/**
 * wf_sim_brom_run:
 * @self: a #WfSimBrom
 *
 * Serves one power-on of the chip: handshake, command loop, and the DA if
 * the host starts one. Blocks until the session ends.
 *
 * Returns: why it ended
 */
WfSimBromExit
wf_sim_brom_run(WfSimBrom *self)
{
	g_return_val_if_fail(WF_IS_SIM_BROM(self), WF_SIM_BROM_EXIT_LOST);

	if (!wf_sim_brom_handshake(self))
		return self->exit;
	for (;;) {
		guint slow_ms;
		guint8 cmd;

		if (!wf_sim_brom_read(self, &cmd, 1))
			return self->exit;
		slow_ms = wf_sim_faults_get_slow_ms(self->faults);
		if (slow_ms > 0 &&
		    wf_sim_channel_wait_closed(
			    wf_sim_link_get_channel(self->link, WF_SIM_DIRECTION_OUT),
			    g_get_monotonic_time() + (gint64)slow_ms * 1000)) {
			self->exit = WF_SIM_BROM_EXIT_LOST;
			return self->exit;
		}
		if (!wf_sim_brom_dispatch(self, cmd))
			return self->exit;
	}
}
