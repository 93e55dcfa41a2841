/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-da.h"

#include <string.h>

#include "wf-da-status.h"
#include "wf-error.h"

/* the stage sizes that identify the two known DA v3.2 builds (§5.11) */
#define WF_DA_SPFT_STAGE1_LEN 0x434
#define WF_DA_SPFT_STAGE2_LEN 0x1B4A8
#define WF_DA_WIZ_STAGE1_LEN  0x718
#define WF_DA_WIZ_STAGE2_LEN  0x1E5C8

/* offsets inside the report (after the 00000CA2 marker) */
#define WF_DA_REPORT_NAND_OFFSET   54
#define WF_DA_REPORT_EMMC_OFFSET   89
#define WF_DA_REPORT_CONFIG_OFFSET 133
#define WF_DA_REPORT_TAIL_OFFSET   163 /* + 24 on WIZ builds */
#define WF_DA_REPORT_TAIL_SIZE	   11

/* bytes the host may see between a write NACK and the 5A that invites the
 * resend; more than this and the DA is saying something else */
#define WF_DA_MAX_RESYNC_BYTES 16
/* the most pre-erase acknowledgements one D3 file may announce: one per
 * 4 KiB sector of a 128 MiB part */
#define WF_DA_MAX_ERASE_UNITS  0x8000
#define WF_DA_MAX_FORMAT_STEPS 10000

struct _WfDa {
	GObject parent_instance;
	WfTransport *transport;
	guint timeout_ms;
	WfDaProfile profile;
	gboolean profile_forced;
	guint8 battery_flag; /* 0: what the profile's reference client sends */
	guint8 brom_version;
	guint8 bl_version;
	guint8 jedec[4];
	guint jedec_len;
	guint max_retries;
	guint32 packet_size;
	gboolean read_ack_ahead;
	guint resends;
	WfDaReport report;
	gboolean have_report;
	gboolean connected;
	gchar *broken; /* why the session cannot go on, or NULL */
};

G_DEFINE_FINAL_TYPE(WfDa, wf_da, G_TYPE_OBJECT)

static void
wf_da_put_u32(guint8 *p, guint32 value)
{
	p[0] = (guint8)(value >> 24);
	p[1] = (guint8)(value >> 16);
	p[2] = (guint8)(value >> 8);
	p[3] = (guint8)value;
}

static guint32
wf_da_get_u32(const guint8 *p)
{
	return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | p[3];
}

static guint16
wf_da_get_u16(const guint8 *p)
{
	return (guint16)((p[0] << 8) | p[1]);
}

/**
 * wf_da_sum16:
 * @data: bytes
 * @len: how many
 *
 * Returns: the DA's packet checksum: the arithmetic sum of the bytes, mod 0x10000
 */
guint16
wf_da_sum16(const guint8 *data, gsize len)
{
	guint32 sum = 0;

	for (gsize i = 0; i < len; i++)
		sum += data[i];
	return (guint16)sum;
}

static void
wf_da_finalize(GObject *object)
{
	WfDa *self = WF_DA(object);

	g_clear_object(&self->transport);
	g_free(self->broken);
	G_OBJECT_CLASS(wf_da_parent_class)->finalize(object);
}

static void
wf_da_class_init(WfDaClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_da_finalize;
}

/* ACK-ahead readback rests on reading of the DA's loop (§5.6) rather than
 * on a capture of a real watch [I]: the environment can turn it off for
 * every client (CLI, application, tests) without a rebuild */
static gboolean
wf_da_ack_ahead_default(void)
{
	const gchar *env = g_getenv(WF_DA_ACK_AHEAD_ENV);

	if (env == NULL || env[0] == '\0')
		return TRUE;
	return !(g_strcmp0(env, "0") == 0 || g_ascii_strcasecmp(env, "no") == 0 ||
		 g_ascii_strcasecmp(env, "off") == 0 || g_ascii_strcasecmp(env, "false") == 0);
}

static void
wf_da_init(WfDa *self)
{
	self->timeout_ms = WF_DA_DEFAULT_TIMEOUT_MS;
	self->brom_version = 0x05;
	self->bl_version = 0xFE; /* "no bootloader": what GET_BL_VER answers in BROM mode */
	self->max_retries = WF_DA_DEFAULT_RETRIES;
	self->packet_size = WF_DA_DEFAULT_PACKET_SIZE;
	self->read_ack_ahead = wf_da_ack_ahead_default();
}

/**
 * wf_da_new:
 * @transport: the link to the watch; the same one its #WfBrom uses
 */
WfDa *
wf_da_new(WfTransport *transport)
{
	WfDa *self;

	g_return_val_if_fail(WF_IS_TRANSPORT(transport), NULL);
	self = g_object_new(WF_TYPE_DA, NULL);
	self->transport = g_object_ref(transport);
	return self;
}

WfTransport *
wf_da_get_transport(WfDa *self)
{
	g_return_val_if_fail(WF_IS_DA(self), NULL);
	return self->transport;
}

/**
 * wf_da_set_timeout:
 * @self: a #WfDa
 * @timeout_ms: how long to wait for an ordinary reply; flash work (erase,
 *   programming, the start-up report) gets ten times as long
 */
void
wf_da_set_timeout(WfDa *self, guint timeout_ms)
{
	g_return_if_fail(WF_IS_DA(self));
	g_return_if_fail(timeout_ms > 0);
	self->timeout_ms = timeout_ms;
}

static guint
wf_da_slow_timeout(WfDa *self)
{
	return self->timeout_ms * 10;
}

/**
 * wf_da_set_profile:
 * @self: a #WfDa
 * @profile: the DA build's behaviour; overrides what wf_da_upload() picks
 */
void
wf_da_set_profile(WfDa *self, WfDaProfile profile)
{
	g_return_if_fail(WF_IS_DA(self));
	self->profile = profile;
	self->profile_forced = profile != WF_DA_PROFILE_AUTO;
}

WfDaProfile
wf_da_get_profile(WfDa *self)
{
	g_return_val_if_fail(WF_IS_DA(self), WF_DA_PROFILE_AUTO);
	return self->profile;
}

const gchar *
wf_da_profile_to_string(WfDaProfile profile)
{
	switch (profile) {
	case WF_DA_PROFILE_SPFT:
		return "spft-v3.2";
	case WF_DA_PROFILE_WIZ:
		return "wiz-v3.2";
	default:
		return "auto";
	}
}

/**
 * wf_da_set_battery_flag:
 * @self: a #WfDa
 * @flag: byte 0 of the parameter block: 0x5A = "download without battery"
 *   (SP Flash Tool), 0xA5 = with battery (the open tools), 0 = the
 *   profile's default
 */
void
wf_da_set_battery_flag(WfDa *self, guint8 flag)
{
	g_return_if_fail(WF_IS_DA(self));
	self->battery_flag = flag;
}

/**
 * wf_da_set_boot_versions:
 * @self: a #WfDa
 * @brom_version: what GET_VERSION (FF) answered, 0x05 by default
 * @bl_version: what GET_BL_VER (FE) answered, 0xFE by default
 */
void
wf_da_set_boot_versions(WfDa *self, guint8 brom_version, guint8 bl_version)
{
	g_return_if_fail(WF_IS_DA(self));
	self->brom_version = brom_version;
	self->bl_version = bl_version;
}

/**
 * wf_da_set_flash_jedec:
 * @self: a #WfDa
 * @jedec_hex: the flash's JEDEC id read beforehand (e.g. through SFI),
 *   "C86017"; only used to name the chip when no flash record matches
 * @error: (out): return location
 */
gboolean
wf_da_set_flash_jedec(WfDa *self, const gchar *jedec_hex, GError **error)
{
	gsize len;

	g_return_val_if_fail(WF_IS_DA(self), FALSE);
	g_return_val_if_fail(jedec_hex != NULL, FALSE);

	len = strlen(jedec_hex);
	if (len == 0 || len % 2 != 0 || len > 2 * sizeof(self->jedec)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "\"%s\" is not a JEDEC id like C86017",
			    jedec_hex);
		return FALSE;
	}
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isxdigit(jedec_hex[i])) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "\"%s\" is not a JEDEC id like C86017",
				    jedec_hex);
			return FALSE;
		}
	}
	for (gsize i = 0; i < len / 2; i++) {
		self->jedec[i] = (guint8)(g_ascii_xdigit_value(jedec_hex[2 * i]) << 4 |
					  g_ascii_xdigit_value(jedec_hex[2 * i + 1]));
	}
	self->jedec_len = len / 2;
	return TRUE;
}

void
wf_da_set_max_retries(WfDa *self, guint max_retries)
{
	g_return_if_fail(WF_IS_DA(self));
	self->max_retries = max_retries;
}

/**
 * wf_da_set_packet_size:
 * @self: a #WfDa
 * @packet_size: bytes per readback and write packet (4096 by default)
 */
void
wf_da_set_packet_size(WfDa *self, guint32 packet_size)
{
	g_return_if_fail(WF_IS_DA(self));
	g_return_if_fail(packet_size > 0 && packet_size <= WF_DA_MAX_PACKET_SIZE);
	self->packet_size = packet_size;
}

/**
 * wf_da_set_read_ack_ahead:
 * @self: a #WfDa
 * @ack_ahead: %TRUE to queue each readback packet's 5A before the packet
 *   arrives (the default unless WF_DA_ACK_AHEAD=0), %FALSE for one 5A after
 *   each verified packet
 *
 * With ACK-ahead the DA never waits for the host between packets; a packet
 * whose checksum fails has already been acknowledged, so its range is read
 * again with a new D6 after the stream (docs/download-agent.md).
 */
void
wf_da_set_read_ack_ahead(WfDa *self, gboolean ack_ahead)
{
	g_return_if_fail(WF_IS_DA(self));
	self->read_ack_ahead = ack_ahead;
}

gboolean
wf_da_get_read_ack_ahead(WfDa *self)
{
	g_return_val_if_fail(WF_IS_DA(self), FALSE);
	return self->read_ack_ahead;
}

/* packets sent or received again after a checksum failure or a NACK */
guint
wf_da_get_resends(WfDa *self)
{
	g_return_val_if_fail(WF_IS_DA(self), 0);
	return self->resends;
}

/* The DA has no way to abandon a transfer halfway, so after a timeout, a
 * garbled reply or a cancelled transfer it is waiting for bytes we will
 * never send: only a reconnect helps. */
static void
wf_da_set_broken(WfDa *self, const gchar *why)
{
	if (self->broken != NULL)
		return;
	self->broken = g_strdup(why);
}

/**
 * wf_da_is_usable:
 * @self: a #WfDa
 * @error: (out): why not
 *
 * Returns: %TRUE if the DA is running and waiting for a command
 */
gboolean
wf_da_is_usable(WfDa *self, GError **error)
{
	g_return_val_if_fail(WF_IS_DA(self), FALSE);

	if (self->broken != NULL) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_PROTOCOL,
			    "the Download Agent session cannot continue (%s): unplug the watch and "
			    "plug it in again",
			    self->broken);
		return FALSE;
	}
	if (!self->connected) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_INTERNAL,
				    "the Download Agent has not been started");
		return FALSE;
	}
	return TRUE;
}

static gboolean
wf_da_begin(WfDa *self, GCancellable *cancellable, GError **error)
{
	if (!wf_da_is_usable(self, error))
		return FALSE;
	return !g_cancellable_set_error_if_cancelled(cancellable, error);
}

/* A failed transfer leaves the DA mid-command, whatever the reason. */
static void
wf_da_transfer_failed(WfDa *self, const gchar *what, GError *error_local, GError **error)
{
	wf_da_set_broken(self, error_local->message);
	if (error_local->domain == G_IO_ERROR)
		g_propagate_error(error, error_local);
	else
		g_propagate_prefixed_error(error, error_local, "%s: ", what);
}

static gboolean
wf_da_send(WfDa *self,
	   const gchar *what,
	   const guint8 *buf,
	   gsize len,
	   GCancellable *cancellable,
	   GError **error)
{
	GError *error_local = NULL;

	if (!wf_transport_write(
		    self->transport, buf, len, self->timeout_ms, cancellable, &error_local)) {
		wf_da_transfer_failed(self, what, error_local, error);
		return FALSE;
	}
	return TRUE;
}

static gboolean
wf_da_send_byte(
	WfDa *self, const gchar *what, guint8 byte, GCancellable *cancellable, GError **error)
{
	return wf_da_send(self, what, &byte, 1, cancellable, error);
}

static gboolean
wf_da_recv(WfDa *self,
	   const gchar *what,
	   guint8 *buf,
	   gsize len,
	   guint timeout_ms,
	   GCancellable *cancellable,
	   GError **error)
{
	GError *error_local = NULL;

	if (!wf_transport_read_exact(
		    self->transport, buf, len, timeout_ms, cancellable, &error_local)) {
		wf_da_transfer_failed(self, what, error_local, error);
		return FALSE;
	}
	return TRUE;
}

/* after an A5 NACK the DA sends its S_DA_* code as a big-endian u32 */
static gboolean
wf_da_read_status_code(
	WfDa *self, const gchar *what, guint32 *code, GCancellable *cancellable, GError **error)
{
	guint8 buf[4];

	if (!wf_da_recv(self, what, buf, sizeof(buf), self->timeout_ms, cancellable, error)) {
		g_prefix_error(error, "the watch refused (A5) but sent no error code: ");
		return FALSE;
	}
	*code = wf_da_get_u32(buf);
	return TRUE;
}

static gboolean
wf_da_nack_to_error(WfDa *self, const gchar *what, GCancellable *cancellable, GError **error)
{
	guint32 code = 0;

	if (!wf_da_read_status_code(self, what, &code, cancellable, error))
		return FALSE;
	wf_da_status_set_error(error, code, "%s", what);
	return FALSE;
}

static gboolean
wf_da_unexpected(WfDa *self, const gchar *what, const gchar *expected, guint8 got, GError **error)
{
	g_autofree gchar *why = g_strdup_printf("%s: expected %s, got %02X", what, expected, got);

	wf_da_set_broken(self, why);
	g_set_error_literal(error, WF_ERROR, WF_ERROR_PROTOCOL, why);
	return FALSE;
}

/* 5A, or A5 + status (mapped to text), or anything else (protocol error) */
static gboolean
wf_da_expect_ack(
	WfDa *self, const gchar *what, guint timeout_ms, GCancellable *cancellable, GError **error)
{
	guint8 byte = 0;

	if (!wf_da_recv(self, what, &byte, 1, timeout_ms, cancellable, error))
		return FALSE;
	if (byte == WF_DA_ACK)
		return TRUE;
	if (byte == WF_DA_NACK)
		return wf_da_nack_to_error(self, what, cancellable, error);
	return wf_da_unexpected(self, what, "5A", byte, error);
}

/* ------------------------------------------------------------------------ */
/* start-up */

/**
 * wf_da_profile_for_entry:
 * @entry: the DA entry that will be uploaded
 *
 * Returns: the profile of the build with these stage sizes, or
 * %WF_DA_PROFILE_AUTO for a build we have not seen
 */
WfDaProfile
wf_da_profile_for_entry(const WfDaEntry *entry)
{
	const WfDaRegion *stage1;
	const WfDaRegion *stage2;

	g_return_val_if_fail(entry != NULL, WF_DA_PROFILE_AUTO);

	if ((guint)entry->region_index + 2 >= WF_DA_FILE_MAX_REGIONS)
		return WF_DA_PROFILE_AUTO;
	stage1 = wf_da_entry_get_stage1(entry);
	stage2 = wf_da_entry_get_stage2(entry);
	if (stage1->length == WF_DA_WIZ_STAGE1_LEN && stage2->length == WF_DA_WIZ_STAGE2_LEN)
		return WF_DA_PROFILE_WIZ;
	if (stage1->length == WF_DA_SPFT_STAGE1_LEN && stage2->length == WF_DA_SPFT_STAGE2_LEN)
		return WF_DA_PROFILE_SPFT;
	return WF_DA_PROFILE_AUTO;
}

static gboolean
wf_da_send_stage(WfBrom *brom,
		 WfDaFile *file,
		 const WfDaRegion *region,
		 guint stage,
		 GCancellable *cancellable,
		 GError **error)
{
	g_autoptr(GBytes) blob = wf_da_file_get_region_bytes(file, region);

	if (blob == NULL) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "Download Agent stage %u lies outside the file",
			    stage);
		return FALSE;
	}
	if (!wf_brom_send_da(brom,
			     region->load_addr,
			     g_bytes_get_data(blob, NULL),
			     g_bytes_get_size(blob),
			     region->sig_len,
			     cancellable,
			     error)) {
		g_prefix_error(error, "uploading Download Agent stage %u: ", stage);
		return FALSE;
	}
	return TRUE;
}

/**
 * wf_da_upload:
 * @self: a #WfDa
 * @brom: the boot ROM session on the same transport, after the handshake
 * @file: the DA file
 * @entry: the entry wf_da_file_select() picked for this chip
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * Remaps the flash (so stage 2 can go to PSRAM at 0x10020000), sends stage 1
 * and stage 2 with SEND_DA (which checks the boot ROM's XOR16) and jumps to
 * stage 1. Also picks the profile from the stage sizes unless one was set.
 * Disabling the watchdog is the caller's job, as for any BROM session.
 */
gboolean
wf_da_upload(WfDa *self,
	     WfBrom *brom,
	     WfDaFile *file,
	     const WfDaEntry *entry,
	     GCancellable *cancellable,
	     GError **error)
{
	const WfDaRegion *stage1;

	g_return_val_if_fail(WF_IS_DA(self), FALSE);
	g_return_val_if_fail(WF_IS_BROM(brom), FALSE);
	g_return_val_if_fail(WF_IS_DA_FILE(file), FALSE);
	g_return_val_if_fail(entry != NULL, FALSE);
	g_return_val_if_fail(wf_brom_get_transport(brom) == self->transport, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (entry->problem != NULL) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "the Download Agent entry cannot be used: %s",
			    entry->problem);
		return FALSE;
	}
	if (wf_brom_is_halted(brom)) {
		g_set_error_literal(
			error,
			WF_ERROR,
			WF_ERROR_DEVICE_LOST,
			"the boot ROM stopped answering after an earlier failure: unplug "
			"the watch and plug it in again");
		return FALSE;
	}
	if (!self->profile_forced)
		self->profile = wf_da_profile_for_entry(entry);
	self->connected = FALSE;
	g_clear_pointer(&self->broken, g_free);

	stage1 = wf_da_entry_get_stage1(entry);
	if (!wf_brom_remap_flash(brom, cancellable, error)) {
		g_prefix_error(error, "before uploading the Download Agent: ");
		return FALSE;
	}
	if (!wf_da_send_stage(brom, file, stage1, 1, cancellable, error))
		return FALSE;
	if (!wf_da_send_stage(brom, file, wf_da_entry_get_stage2(entry), 2, cancellable, error))
		return FALSE;
	if (!wf_brom_jump_da(brom, stage1->load_addr, cancellable, error)) {
		g_prefix_error(error, "starting the Download Agent: ");
		return FALSE;
	}
	return TRUE;
}

/* C0 <major> <minor> <bbchip>; a stray byte or two before C0 is skipped */
static gboolean
wf_da_read_sync(WfDa *self, GCancellable *cancellable, GError **error)
{
	const gchar *what = "waiting for the Download Agent";
	guint8 buf[3];
	guint8 byte = 0;
	guint skipped = 0;

	for (;;) {
		g_autoptr(GError) error_local = NULL;

		if (!wf_transport_read_exact(self->transport,
					     &byte,
					     1,
					     self->timeout_ms,
					     cancellable,
					     &error_local)) {
			wf_da_set_broken(self, "the Download Agent never started");
			if (g_error_matches(error_local, WF_ERROR, WF_ERROR_TIMED_OUT)) {
				g_set_error(
					error,
					WF_ERROR,
					WF_ERROR_TIMED_OUT,
					"the Download Agent never started: no sync byte within "
					"%u ms after JUMP_DA (a DA for another chip, or the watch "
					"reset); unplug the watch and plug it in again",
					self->timeout_ms);
				return FALSE;
			}
			g_propagate_prefixed_error(
				error, g_steal_pointer(&error_local), "%s: ", what);
			return FALSE;
		}
		if (byte == WF_DA_SYNC)
			break;
		if (++skipped > 8)
			return wf_da_unexpected(self, what, "the sync byte C0", byte, error);
	}
	if (!wf_da_recv(self, what, buf, sizeof(buf), self->timeout_ms, cancellable, error))
		return FALSE;
	self->report.da_major = buf[0];
	self->report.da_minor = buf[1];
	self->report.bbchip = buf[2];
	if (buf[0] != 3) {
		g_autofree gchar *why = g_strdup_printf(
			"the Download Agent is version %u.%u, not the feature-phone "
			"DA v3.x this client speaks",
			buf[0],
			buf[1]);
		wf_da_set_broken(self, why);
		g_set_error_literal(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED, why);
		return FALSE;
	}
	return TRUE;
}

static guint8
wf_da_get_battery_flag(WfDa *self)
{
	if (self->battery_flag != 0)
		return self->battery_flag;
	/* each build with the byte its reference client sends (§5.3 step 2) */
	return self->profile == WF_DA_PROFILE_WIZ ? WF_DA_NACK : WF_DA_ACK;
}

static gboolean
wf_da_send_params(WfDa *self, guint32 n_records, GCancellable *cancellable, GError **error)
{
	guint8 p[WF_DA_PARAM_BLOCK_SIZE] = {0};

	p[0] = wf_da_get_battery_flag(self);
	p[1] = self->brom_version;
	p[2] = self->bl_version;
	p[3] = 0x00; /* NOR chip select: CS0 with decoder */
	p[4] = 0x08;
	p[5] = 0x00; /* NAND chip select */
	p[6] = 0x70; /* NAND ACCCON */
	p[7] = 0x07;
	p[8] = 0xFF;
	p[9] = 0xFF;
	p[10] = 0x02; /* 26 MHz external clock */
	wf_da_put_u32(p + 11, n_records);
	if (!wf_da_send(self, "DA parameter block", p, sizeof(p), cancellable, error))
		return FALSE;
	return wf_da_expect_ack(self, "DA set-up", self->timeout_ms, cancellable, error);
}

static gchar *
wf_da_describe_flash(WfDa *self)
{
	g_autoptr(GString) str = g_string_new(NULL);

	if (self->jedec_len == 0)
		return g_strdup("the watch's flash chip");
	g_string_append(str, "flash");
	for (guint i = 0; i < self->jedec_len; i++)
		g_string_append_printf(str, " %02X", self->jedec[i]);
	return g_string_free(g_steal_pointer(&str), FALSE);
}

static gboolean
wf_da_unknown_flash(WfDa *self, guint tried, guint32 code, gboolean have_code, GError **error)
{
	g_autofree gchar *flash = wf_da_describe_flash(self);
	g_autofree gchar *why = NULL;

	if (have_code) {
		g_autofree gchar *status = wf_da_status_describe(code);
		why = g_strdup_printf("this DA does not know %s (after %u flash records it "
				      "said: %s); try the MTK_AllInOne_DA.bin of a newer firmware "
				      "pack or SP Flash Tool",
				      flash,
				      tried,
				      status);
	} else {
		why = g_strdup_printf("this DA does not know %s (none of its %u flash records "
				      "matched); try the MTK_AllInOne_DA.bin of a newer firmware "
				      "pack or SP Flash Tool",
				      flash,
				      tried);
	}
	/* the DA still waits for records we do not have */
	wf_da_set_broken(self, "no flash record matched");
	g_set_error_literal(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED, why);
	return FALSE;
}

/* stream 36-byte records until the DA says 5A (its flash) — 69 means "next" */
static gboolean
wf_da_negotiate_flash(WfDa *self, GBytes *flash_table, GCancellable *cancellable, GError **error)
{
	const gchar *what = "flash table negotiation";
	gsize size = 0;
	const guint8 *table = g_bytes_get_data(flash_table, &size);
	guint n_records = size / WF_DA_FLASH_RECORD_SIZE;
	guint8 reply = 0;
	guint i;

	for (i = 0; i < n_records; i++) {
		const guint8 *record = table + (gsize)i * WF_DA_FLASH_RECORD_SIZE;
		guint32 id = (guint32)record[0] | ((guint32)record[1] << 8) |
			     ((guint32)record[2] << 16) | ((guint32)record[3] << 24);

		/* a flat table's terminator is counted, never sent */
		if (id == WF_DA_FLASH_RECORD_TERMINATOR)
			break;
		if (!wf_da_send(self, what, record, WF_DA_FLASH_RECORD_SIZE, cancellable, error))
			return FALSE;
		if (!wf_da_recv(self, what, &reply, 1, self->timeout_ms, cancellable, error))
			return FALSE;
		if (reply == WF_DA_CONT)
			continue;
		if (reply == WF_DA_ACK) {
			self->report.matched_record = i;
			self->report.matched_record_id = id;
			break;
		}
		if (reply == WF_DA_NACK) {
			guint32 code = 0;
			g_autoptr(GError) error_local = NULL;
			gboolean have_code = wf_da_read_status_code(
				self, what, &code, cancellable, &error_local);
			return wf_da_unknown_flash(self, i + 1, code, have_code, error);
		}
		return wf_da_unexpected(self, what, "69 or 5A", reply, error);
	}
	if (reply != WF_DA_ACK)
		return wf_da_unknown_flash(self, i, 0, FALSE, error);
	/* after the match the DA always sends A5 (it is not an error here) */
	if (!wf_da_recv(self, what, &reply, 1, self->timeout_ms, cancellable, error))
		return FALSE;
	if (reply != WF_DA_NACK)
		return wf_da_unexpected(self, what, "A5 after the matching record", reply, error);
	return TRUE;
}

/* host 00000000, DA [69] 00000CA2: the 69 comes from WIZ builds only, and as
 * the marker starts with 00 it can be told apart whatever the profile */
static gboolean
wf_da_read_marker(WfDa *self, GCancellable *cancellable, GError **error)
{
	const gchar *what = "DA start-up marker";
	const guint8 zero[4] = {0};
	guint8 buf[4];
	guint32 marker;

	if (!wf_da_send(self, what, zero, sizeof(zero), cancellable, error))
		return FALSE;
	if (!wf_da_recv(self, what, buf, sizeof(buf), wf_da_slow_timeout(self), cancellable, error))
		return FALSE;
	if (buf[0] == WF_DA_CONT) {
		self->report.extra_cont = TRUE;
		memmove(buf, buf + 1, 3);
		if (!wf_da_recv(self, what, buf + 3, 1, self->timeout_ms, cancellable, error))
			return FALSE;
	}
	marker = wf_da_get_u32(buf);
	if (marker != WF_DA_MARKER) {
		g_autofree gchar *why =
			g_strdup_printf("%s: expected 00000CA2, got %08X", what, marker);
		wf_da_set_broken(self, why);
		g_set_error_literal(error, WF_ERROR, WF_ERROR_PROTOCOL, why);
		return FALSE;
	}
	return TRUE;
}

static void
wf_da_parse_codes(const guint8 *p, guint16 codes[4])
{
	for (guint i = 0; i < 4; i++)
		codes[i] = wf_da_get_u16(p + 2 * i);
}

static void
wf_da_parse_report(WfDaReport *r, const guint8 *p, gsize size)
{
	const guint8 *c = p + WF_DA_REPORT_CONFIG_OFFSET;
	gsize tail = size - WF_DA_REPORT_TAIL_SIZE;

	r->report_size = size;
	r->nor_ret = wf_da_get_u32(p + 0);
	r->nor_chip_select = wf_da_get_u16(p + 4);
	r->flash_id = wf_da_get_u16(p + 6);
	r->flash_size = wf_da_get_u32(p + 8);
	r->flash_size_die1 = wf_da_get_u32(p + 12);
	wf_da_parse_codes(p + 16, r->device_code);
	r->otp_status = wf_da_get_u32(p + 24);
	r->otp_size = wf_da_get_u32(p + 28);
	r->die2_id = wf_da_get_u16(p + 32);
	r->die2_size = wf_da_get_u32(p + 34);
	wf_da_parse_codes(p + 38, r->die2_device_code);
	r->die2_otp_status = wf_da_get_u32(p + 46);
	r->die2_otp_size = wf_da_get_u32(p + 50);
	r->nand_ret = wf_da_get_u32(p + WF_DA_REPORT_NAND_OFFSET);
	r->emmc_ret = wf_da_get_u32(p + WF_DA_REPORT_EMMC_OFFSET);
	r->int_sram_ret = wf_da_get_u32(c + 0);
	r->int_sram_size = wf_da_get_u32(c + 4);
	r->ext_ram_ret = wf_da_get_u32(c + 8);
	r->ext_ram_type = c[12];
	r->ext_ram_chip_select = c[13];
	r->ext_ram_size = wf_da_get_u32(c + 14);
	memcpy(r->jedec_candidates, c + 18, sizeof(r->jedec_candidates));
	r->has_extra = size == WF_DA_REPORT_SIZE_WIZ;
	if (r->has_extra) {
		for (guint i = 0; i < WF_DA_REPORT_EXTRA_WORDS; i++)
			r->extra[i] = wf_da_get_u32(p + WF_DA_REPORT_TAIL_OFFSET + 4 * i);
	}
	r->download_status = wf_da_get_u32(p + tail + 2);
	r->boot_style = wf_da_get_u32(p + tail + 6);
	r->soc = p[tail + 10];
}

/* the two ACKs and the SOC byte sit at fixed places from the end */
static gboolean
wf_da_report_tail_ok(const guint8 *p, gsize size)
{
	gsize tail = size - WF_DA_REPORT_TAIL_SIZE;
	return p[tail] == WF_DA_ACK && p[tail + 1] == WF_DA_ACK &&
	       (p[tail + 10] == WF_DA_SOC_OK || p[tail + 10] == WF_DA_SOC_FAIL);
}

static gboolean
wf_da_read_report(WfDa *self, GCancellable *cancellable, GError **error)
{
	const gchar *what = "DA start-up report";
	guint8 buf[WF_DA_REPORT_SIZE_WIZ];
	gsize size =
		self->profile == WF_DA_PROFILE_WIZ ? WF_DA_REPORT_SIZE_WIZ : WF_DA_REPORT_SIZE_SPFT;

	if (!wf_da_recv(self, what, buf, size, wf_da_slow_timeout(self), cancellable, error))
		return FALSE;
	/* a build we do not know: the SP Flash Tool layout unless its tail
	 * is not where it should be, then the 24 bytes longer one */
	if (self->profile == WF_DA_PROFILE_AUTO && !wf_da_report_tail_ok(buf, size)) {
		if (!wf_da_recv(self,
				what,
				buf + size,
				WF_DA_REPORT_SIZE_WIZ - size,
				self->timeout_ms,
				cancellable,
				error))
			return FALSE;
		size = WF_DA_REPORT_SIZE_WIZ;
	}
	if (!wf_da_report_tail_ok(buf, size)) {
		g_autofree gchar *why = g_strdup_printf(
			"%s: its %" G_GSIZE_FORMAT " bytes do not end in 5A 5A … C1/CF (is the DA "
			"profile %s right for this build?)",
			what,
			size,
			wf_da_profile_to_string(self->profile));
		wf_da_set_broken(self, why);
		g_set_error_literal(error, WF_ERROR, WF_ERROR_PROTOCOL, why);
		return FALSE;
	}
	wf_da_parse_report(&self->report, buf, size);
	self->have_report = TRUE;
	if (self->report.flash_id != (self->report.matched_record_id & 0xFFFF))
		g_debug("the DA reports flash record id 0x%04X but matched record id 0x%X",
			self->report.flash_id,
			self->report.matched_record_id);
	return TRUE;
}

static gboolean
wf_da_check_report(WfDa *self, GError **error)
{
	const WfDaReport *r = &self->report;

	if (r->soc != WF_DA_SOC_OK) {
		wf_da_status_set_error(
			error, WF_DA_STATUS_SOC_CHECK_FAIL, "the Download Agent's start-up report");
		return FALSE;
	}
	if (r->nor_ret != WF_DA_STATUS_OK) {
		wf_da_status_set_error(
			error, r->nor_ret, "the Download Agent found no usable flash");
		return FALSE;
	}
	if (r->download_status != WF_DA_STATUS_OK) {
		g_autofree gchar *status = wf_da_status_describe(r->download_status);
		/* not an error: a bricked watch is exactly what we may be here for */
		g_info("the Download Agent says: %s", status);
	}
	return TRUE;
}

/**
 * wf_da_connect:
 * @self: a #WfDa
 * @flash_table: the DA's NOR flash table (36-byte records)
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * Talks to the DA right after JUMP_DA (§5.3): sync, 15-byte parameter block,
 * flash-table negotiation, 4 zero bytes, the 00000CA2 marker and the report.
 */
gboolean
wf_da_connect(WfDa *self, GBytes *flash_table, GCancellable *cancellable, GError **error)
{
	gsize n_records;

	g_return_val_if_fail(WF_IS_DA(self), FALSE);
	g_return_val_if_fail(flash_table != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	self->connected = FALSE;
	self->have_report = FALSE;
	g_clear_pointer(&self->broken, g_free);
	memset(&self->report, 0, sizeof(self->report));

	n_records = g_bytes_get_size(flash_table) / WF_DA_FLASH_RECORD_SIZE;
	if (n_records == 0 || n_records > G_MAXUINT32) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "the Download Agent's flash table is empty");
		return FALSE;
	}
	if (!wf_da_read_sync(self, cancellable, error))
		return FALSE;
	if (!wf_da_send_params(self, (guint32)n_records, cancellable, error))
		return FALSE;
	if (!wf_da_negotiate_flash(self, flash_table, cancellable, error))
		return FALSE;
	if (!wf_da_read_marker(self, cancellable, error))
		return FALSE;
	if (!wf_da_read_report(self, cancellable, error))
		return FALSE;
	if (!wf_da_check_report(self, error))
		return FALSE;
	self->connected = TRUE;
	return TRUE;
}

/**
 * wf_da_start:
 * @self: a #WfDa
 * @brom: the boot ROM session on the same transport, after the handshake
 * @file: the DA file
 * @entry: the entry for this chip
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * wf_da_upload() then wf_da_connect() with the entry's flash table.
 */
gboolean
wf_da_start(WfDa *self,
	    WfBrom *brom,
	    WfDaFile *file,
	    const WfDaEntry *entry,
	    GCancellable *cancellable,
	    GError **error)
{
	g_autoptr(GBytes) table = NULL;

	g_return_val_if_fail(WF_IS_DA(self), FALSE);
	g_return_val_if_fail(WF_IS_DA_FILE(file), FALSE);
	g_return_val_if_fail(entry != NULL, FALSE);

	if (!wf_da_upload(self, brom, file, entry, cancellable, error))
		return FALSE;
	table = wf_da_file_get_region_bytes(file, wf_da_entry_get_flash_table(entry));
	if (table == NULL) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "the Download Agent's flash table lies outside the file");
		return FALSE;
	}
	return wf_da_connect(self, table, cancellable, error);
}

/**
 * wf_da_get_report:
 * @self: a #WfDa
 *
 * Returns: (nullable): the start-up report, also after a start that failed
 * on its content (SOC check, no flash), or %NULL if none was received
 */
const WfDaReport *
wf_da_get_report(WfDa *self)
{
	g_return_val_if_fail(WF_IS_DA(self), NULL);
	return self->have_report ? &self->report : NULL;
}

/**
 * wf_da_report_get_jedec_id:
 * @report: a report
 *
 * Returns: (transfer full): the flash's JEDEC id as hex, "C22016", the form
 * backups record
 */
gchar *
wf_da_report_get_jedec_id(const WfDaReport *report)
{
	GString *str = g_string_new(NULL);

	g_return_val_if_fail(report != NULL, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(report->device_code); i++) {
		guint16 word = report->device_code[i];
		if (word == 0 && i > 0)
			break;
		if (word > 0xFF)
			g_string_append_printf(str, "%04X", word);
		else
			g_string_append_printf(str, "%02X", word);
	}
	return g_string_free(str, FALSE);
}

static void
wf_da_json_hex(JsonBuilder *builder, const gchar *key, guint32 value, guint width)
{
	g_autofree gchar *str = g_strdup_printf("0x%0*X", (gint)width, value);
	json_builder_set_member_name(builder, key);
	json_builder_add_string_value(builder, str);
}

static void
wf_da_json_status(JsonBuilder *builder, const gchar *key, guint32 code)
{
	g_autofree gchar *name = g_strdup_printf("%s_text", key);
	wf_da_json_hex(builder, key, code, 8);
	json_builder_set_member_name(builder, name);
	json_builder_add_string_value(builder, wf_da_status_to_string(code));
}

/**
 * wf_da_report_to_json:
 * @report: a report
 *
 * Returns: (transfer full): the report for `--json` output and backups
 */
JsonNode *
wf_da_report_to_json(const WfDaReport *report)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autofree gchar *jedec = NULL;
	g_autofree gchar *version = NULL;
	g_autofree gchar *candidates = NULL;

	g_return_val_if_fail(report != NULL, NULL);

	jedec = wf_da_report_get_jedec_id(report);
	version = g_strdup_printf("%u.%u", report->da_major, report->da_minor);
	candidates = g_strdup_printf("%02X%02X%02X%02X%02X%02X%02X%02X%02X%02X%02X%02X",
				     report->jedec_candidates[0],
				     report->jedec_candidates[1],
				     report->jedec_candidates[2],
				     report->jedec_candidates[3],
				     report->jedec_candidates[4],
				     report->jedec_candidates[5],
				     report->jedec_candidates[6],
				     report->jedec_candidates[7],
				     report->jedec_candidates[8],
				     report->jedec_candidates[9],
				     report->jedec_candidates[10],
				     report->jedec_candidates[11]);
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "da_version");
	json_builder_add_string_value(builder, version);
	wf_da_json_hex(builder, "bbchip", report->bbchip, 2);
	json_builder_set_member_name(builder, "report_size");
	json_builder_add_int_value(builder, report->report_size);
	json_builder_set_member_name(builder, "matched_record");
	json_builder_add_int_value(builder, report->matched_record);
	wf_da_json_status(builder, "nor_ret", report->nor_ret);
	wf_da_json_hex(builder, "flash_id", report->flash_id, 4);
	json_builder_set_member_name(builder, "flash_size");
	json_builder_add_int_value(builder, report->flash_size);
	json_builder_set_member_name(builder, "jedec_id");
	json_builder_add_string_value(builder, jedec);
	wf_da_json_hex(builder, "otp_status", report->otp_status, 8);
	json_builder_set_member_name(builder, "otp_size");
	json_builder_add_int_value(builder, report->otp_size);
	json_builder_set_member_name(builder, "int_sram_size");
	json_builder_add_int_value(builder, report->int_sram_size);
	json_builder_set_member_name(builder, "ext_ram_size");
	json_builder_add_int_value(builder, report->ext_ram_size);
	json_builder_set_member_name(builder, "jedec_candidates");
	json_builder_add_string_value(builder, candidates);
	wf_da_json_status(builder, "download_status", report->download_status);
	wf_da_json_hex(builder, "boot_style", report->boot_style, 8);
	json_builder_set_member_name(builder, "soc_ok");
	json_builder_add_boolean_value(builder, report->soc == WF_DA_SOC_OK);
	if (report->has_extra) {
		json_builder_set_member_name(builder, "extra");
		json_builder_begin_array(builder);
		for (guint i = 0; i < WF_DA_REPORT_EXTRA_WORDS; i++) {
			g_autofree gchar *word = g_strdup_printf("0x%08X", report->extra[i]);
			json_builder_add_string_value(builder, word);
		}
		json_builder_end_array(builder);
	}
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}

/* ------------------------------------------------------------------------ */
/* D6 READ */

static gboolean
wf_da_check_range(WfDa *self, const gchar *what, guint32 addr, guint64 len, GError **error)
{
	if (len == 0) {
		g_set_error(error, WF_ERROR, WF_ERROR_INVALID_DATA, "%s: nothing to do", what);
		return FALSE;
	}
	/* the DA takes flash offsets only (§5.12): refuse before it has to */
	if (self->report.flash_size > 0 && (guint64)addr + len > self->report.flash_size) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "%s: 0x%08X + 0x%" G_GINT64_MODIFIER "X runs past the end of the "
			    "%u KiB flash",
			    what,
			    addr,
			    len,
			    self->report.flash_size / 1024);
		return FALSE;
	}
	return TRUE;
}

/* a run of readback packets whose checksum failed, as flash offsets */
typedef struct {
	guint32 addr;
	guint32 len;
} WfDaBadRange;

/* one packet and its sum16; *ours / *theirs say whether they agree */
static gboolean
wf_da_recv_packet(WfDa *self,
		  const gchar *what,
		  guint8 *buf,
		  gsize len,
		  guint16 *theirs,
		  guint16 *ours,
		  GError **error)
{
	guint8 sum[2];

	/* no cancellable inside a packet: it is always read to the end */
	if (!wf_da_recv(self, what, buf, len, self->timeout_ms, NULL, error))
		return FALSE;
	if (!wf_da_recv(self, what, sum, sizeof(sum), self->timeout_ms, NULL, error))
		return FALSE;
	*theirs = wf_da_get_u16(sum);
	*ours = wf_da_sum16(buf, len);
	return TRUE;
}

/* one packet + sum16; a bad sum is answered A5 and the DA sends it again */
static gboolean
wf_da_read_packet(
	WfDa *self, const gchar *what, guint32 addr, guint8 *buf, gsize len, GError **error)
{
	for (guint attempt = 0;; attempt++) {
		guint16 theirs = 0;
		guint16 ours = 0;

		if (!wf_da_recv_packet(self, what, buf, len, &theirs, &ours, error))
			return FALSE;
		if (theirs == ours)
			return wf_da_send_byte(self, what, WF_DA_ACK, NULL, error);
		if (attempt >= self->max_retries) {
			g_autofree gchar *why =
				g_strdup_printf("%s: the packet at 0x%08X failed its checksum %u "
						"times (watch 0x%04X, "
						"data 0x%04X): the USB link damages data; try "
						"another cable or port",
						what,
						addr,
						attempt + 1,
						theirs,
						ours);
			wf_da_set_broken(self, "a readback packet kept failing its checksum");
			g_set_error_literal(error, WF_ERROR, WF_ERROR_VERIFY_FAILED, why);
			return FALSE;
		}
		g_debug("%s: checksum mismatch at 0x%08X (0x%04X vs 0x%04X), asking again",
			what,
			addr,
			theirs,
			ours);
		self->resends++;
		if (!wf_da_send_byte(self, what, WF_DA_NACK, NULL, error))
			return FALSE;
	}
}

static gboolean
wf_da_cancelled_midway(WfDa *self, GCancellable *cancellable, GError **error)
{
	if (!g_cancellable_is_cancelled(cancellable))
		return FALSE;
	wf_da_set_broken(self, "a transfer was cancelled halfway");
	g_cancellable_set_error_if_cancelled(cancellable, error);
	return TRUE;
}

/* D6, its ACK, the packet length: after this the DA streams */
static gboolean
wf_da_read_command(WfDa *self,
		   const gchar *what,
		   guint32 addr,
		   guint32 len,
		   GCancellable *cancellable,
		   GError **error)
{
	guint8 cmd[10];
	guint8 pkt[4];

	cmd[0] = WF_DA_CMD_READ;
	cmd[1] = 0x00;
	wf_da_put_u32(cmd + 2, addr);
	wf_da_put_u32(cmd + 6, len);
	/* the ACK is read before the packet length is sent: the order both
	 * the DA and the oldest client accept */
	if (!wf_da_send(self, what, cmd, sizeof(cmd), cancellable, error))
		return FALSE;
	if (!wf_da_expect_ack(self, what, self->timeout_ms, cancellable, error))
		return FALSE;
	wf_da_put_u32(pkt, self->packet_size);
	return wf_da_send(self, what, pkt, sizeof(pkt), NULL, error);
}

/* the stream of one D6, one 5A (or A5 + resend) after each packet */
static gboolean
wf_da_read_stream_acked(WfDa *self,
			const gchar *what,
			guint32 addr,
			guint8 *buf,
			gsize len,
			WfProgress *progress,
			GCancellable *cancellable,
			GError **error)
{
	gsize done = 0;

	while (done < len) {
		gsize n = MIN(self->packet_size, len - done);

		if (!wf_da_read_packet(self, what, addr + (guint32)done, buf + done, n, error))
			return FALSE;
		done += n;
		if (progress != NULL)
			wf_progress_set_bytes(progress, done, len);
		if (done < len && wf_da_cancelled_midway(self, cancellable, error))
			return FALSE;
	}
	return TRUE;
}

static void
wf_da_add_bad_range(GArray *bad, guint32 addr, guint32 len)
{
	WfDaBadRange range = {addr, len};

	/* neighbours become one D6: a burst of damage costs one command */
	if (bad->len > 0) {
		WfDaBadRange *last = &g_array_index(bad, WfDaBadRange, bad->len - 1);
		if (last->addr + last->len == addr) {
			last->len += len;
			return;
		}
	}
	g_array_append_val(bad, range);
}

/* The stream of one D6 with the 5A for each packet sent before the packet
 * is read. The DA reads that byte only after it has sent the packet and its
 * checksum (§5.6), so it is already waiting there and the next packet
 * follows without a link turnaround. Exactly one 5A per packet: after the
 * last packet's 5A the DA is back in its command loop and anything more
 * would be taken for a command. A packet that fails its checksum has been
 * acknowledged already; its range goes into @bad for a second D6. */
static gboolean
wf_da_read_stream_ahead(WfDa *self,
			const gchar *what,
			guint32 addr,
			guint8 *buf,
			gsize len,
			GArray *bad,
			WfProgress *progress,
			GCancellable *cancellable,
			GError **error)
{
	gsize done = 0;

	while (done < len) {
		gsize n = MIN(self->packet_size, len - done);
		guint16 theirs = 0;
		guint16 ours = 0;

		if (!wf_da_send_byte(self, what, WF_DA_ACK, NULL, error))
			return FALSE;
		if (!wf_da_recv_packet(self, what, buf + done, n, &theirs, &ours, error))
			return FALSE;
		if (theirs != ours) {
			g_debug("%s: checksum mismatch at 0x%08X (0x%04X vs 0x%04X), "
				"already acknowledged: read again after the stream",
				what,
				addr + (guint32)done,
				theirs,
				ours);
			self->resends++;
			wf_da_add_bad_range(bad, addr + (guint32)done, (guint32)n);
		}
		done += n;
		if (progress != NULL)
			wf_progress_set_bytes(progress, done, len);
		/* the next 5A has not gone out yet: the DA is where a cancel in
		 * the acknowledged mode leaves it, mid-command */
		if (done < len && wf_da_cancelled_midway(self, cancellable, error))
			return FALSE;
	}
	return TRUE;
}

/* the ranges the ACK-ahead stream got damaged, each with its own D6 in the
 * acknowledged mode, where A5 asks for a packet again up to the retry limit */
static gboolean
wf_da_reread_bad(WfDa *self,
		 guint32 addr,
		 guint8 *buf,
		 GArray *bad,
		 GCancellable *cancellable,
		 GError **error)
{
	for (guint i = 0; i < bad->len; i++) {
		const WfDaBadRange *range = &g_array_index(bad, WfDaBadRange, i);
		g_autofree gchar *what =
			g_strdup_printf("D6 READ again of 0x%X bytes at 0x%08X (checksum failed)",
					range->len,
					range->addr);

		/* between two D6 the DA waits for a command: stopping here
		 * leaves the session usable */
		if (g_cancellable_set_error_if_cancelled(cancellable, error))
			return FALSE;
		if (!wf_da_read_command(self, what, range->addr, range->len, cancellable, error))
			return FALSE;
		if (!wf_da_read_stream_acked(self,
					     what,
					     range->addr,
					     buf + (range->addr - addr),
					     range->len,
					     NULL,
					     cancellable,
					     error))
			return FALSE;
	}
	return TRUE;
}

/**
 * wf_da_read_flash:
 * @self: a #WfDa
 * @addr: flash offset (0 = start of flash)
 * @buf: where the bytes go
 * @len: how many
 * @progress: (nullable): gets the bytes done after every packet
 * @cancellable: a #GCancellable, or %NULL; checked between packets
 * @error: (out): return location
 *
 * D6 READ: every packet's 16-bit sum is checked. In the ACK-ahead mode (the
 * default, wf_da_set_read_ack_ahead()) bad packets are read again with new
 * D6 commands after the stream; otherwise a bad packet is requested again
 * (A5) at once. Either way up to the retry limit.
 */
gboolean
wf_da_read_flash(WfDa *self,
		 guint32 addr,
		 guint8 *buf,
		 gsize len,
		 WfProgress *progress,
		 GCancellable *cancellable,
		 GError **error)
{
	g_autofree gchar *what = NULL;
	g_autoptr(GArray) bad = NULL;

	g_return_val_if_fail(WF_IS_DA(self), FALSE);
	g_return_val_if_fail(buf != NULL || len == 0, FALSE);
	g_return_val_if_fail(progress == NULL || WF_IS_PROGRESS(progress), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	what = g_strdup_printf("D6 READ of %" G_GSIZE_FORMAT " bytes at 0x%08X", len, addr);
	if (!wf_da_begin(self, cancellable, error))
		return FALSE;
	if (len > G_MAXUINT32) {
		g_set_error(error, WF_ERROR, WF_ERROR_INVALID_DATA, "%s: too long", what);
		return FALSE;
	}
	if (!wf_da_check_range(self, what, addr, len, error))
		return FALSE;
	if (!wf_da_read_command(self, what, addr, (guint32)len, cancellable, error))
		return FALSE;
	if (!self->read_ack_ahead)
		return wf_da_read_stream_acked(
			self, what, addr, buf, len, progress, cancellable, error);
	bad = g_array_new(FALSE, FALSE, sizeof(WfDaBadRange));
	if (!wf_da_read_stream_ahead(self, what, addr, buf, len, bad, progress, cancellable, error))
		return FALSE;
	return wf_da_reread_bad(self, addr, buf, bad, cancellable, error);
}

/* ------------------------------------------------------------------------ */
/* D3 MEM + D5 WRITE */

static gint
wf_da_compare_files(gconstpointer a, gconstpointer b)
{
	const WfDaWriteFile *fa = *(const WfDaWriteFile *const *)a;
	const WfDaWriteFile *fb = *(const WfDaWriteFile *const *)b;
	return fa->start < fb->start ? -1 : fa->start > fb->start ? 1 : 0;
}

static const gchar *
wf_da_file_name(const WfDaWriteFile *file)
{
	return file->name != NULL ? file->name : "(unnamed)";
}

/* sorted by address (D3 wants them so), each even, inside the flash, apart */
static GPtrArray *
wf_da_sort_files(WfDa *self, const WfDaWriteFile *files, guint n_files, GError **error)
{
	g_autoptr(GPtrArray) sorted = g_ptr_array_new();

	if (n_files == 0 || n_files > 0xFF) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "a write takes 1 to 255 files, not %u",
			    n_files);
		return NULL;
	}
	for (guint i = 0; i < n_files; i++) {
		const WfDaWriteFile *file = &files[i];
		gsize len = file->data != NULL ? g_bytes_get_size(file->data) : 0;
		g_autofree gchar *what = g_strdup_printf("writing %s", wf_da_file_name(file));

		if (!wf_da_check_range(self, what, file->start, len, error))
			return NULL;
		if (len > G_MAXUINT32 || (guint64)file->start + len > G_MAXUINT32) {
			g_set_error(error, WF_ERROR, WF_ERROR_INVALID_DATA, "%s: too long", what);
			return NULL;
		}
		/* the DA refuses odd addresses and lengths on NOR (3040, 3041) */
		if (file->start % 2 != 0 || len % 2 != 0) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "%s: start 0x%08X and length %" G_GSIZE_FORMAT " must be even",
				    what,
				    file->start,
				    len);
			return NULL;
		}
		g_ptr_array_add(sorted, (gpointer)file);
	}
	g_ptr_array_sort(sorted, wf_da_compare_files);
	for (guint i = 1; i < sorted->len; i++) {
		const WfDaWriteFile *prev = g_ptr_array_index(sorted, i - 1);
		const WfDaWriteFile *file = g_ptr_array_index(sorted, i);

		if ((guint64)prev->start + g_bytes_get_size(prev->data) > file->start) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "%s and %s overlap at 0x%08X",
				    wf_da_file_name(prev),
				    wf_da_file_name(file),
				    file->start);
			return NULL;
		}
	}
	return g_steal_pointer(&sorted);
}

static gboolean
wf_da_mem(WfDa *self,
	  GPtrArray *sorted,
	  WfProgress *progress,
	  GCancellable *cancellable,
	  GError **error)
{
	const gchar *what = "D3 MEM";
	guint8 hdr[3] = {WF_DA_CMD_MEM, WF_DA_NACK /* FOTA off */, (guint8)sorted->len};
	guint8 count = 0;

	if (!wf_da_send(self, what, hdr, sizeof(hdr), cancellable, error))
		return FALSE;
	for (guint i = 0; i < sorted->len; i++) {
		const WfDaWriteFile *file = g_ptr_array_index(sorted, i);
		g_autofree gchar *file_what =
			g_strdup_printf("D3 MEM for %s", wf_da_file_name(file));
		guint8 args[12];

		wf_da_put_u32(args, file->start);
		wf_da_put_u32(args + 4, file->start + (guint32)g_bytes_get_size(file->data) - 1);
		wf_da_put_u32(args + 8, file->file_type);
		if (!wf_da_send(self, file_what, args, sizeof(args), NULL, error))
			return FALSE;
		if (!wf_da_expect_ack(self, file_what, self->timeout_ms, NULL, error))
			return FALSE;
	}
	if (!wf_da_recv(self, what, &count, 1, wf_da_slow_timeout(self), NULL, error))
		return FALSE;
	if (count != sorted->len)
		return wf_da_unexpected(self, what, "the file count", count, error);
	if (!wf_da_expect_ack(self, what, self->timeout_ms, NULL, error))
		return FALSE;
	if (progress != NULL)
		wf_progress_set_message(progress, "Erasing");
	/* per file: n, then one 5A per erased unit (the pre-format progress) */
	for (guint i = 0; i < sorted->len; i++) {
		guint8 buf[4];
		guint32 n;

		if (!wf_da_recv(
			    self, what, buf, sizeof(buf), wf_da_slow_timeout(self), NULL, error))
			return FALSE;
		n = wf_da_get_u32(buf);
		if (n > WF_DA_MAX_ERASE_UNITS) {
			g_autofree gchar *why =
				g_strdup_printf("%s: the DA announced %u erase steps", what, n);
			wf_da_set_broken(self, why);
			g_set_error_literal(error, WF_ERROR, WF_ERROR_PROTOCOL, why);
			return FALSE;
		}
		for (guint32 j = 0; j < n; j++) {
			if (!wf_da_expect_ack(self, what, wf_da_slow_timeout(self), NULL, error))
				return FALSE;
			if (progress != NULL)
				wf_progress_set_bytes(progress, j + 1, n);
		}
	}
	return wf_da_expect_ack(self, what, wf_da_slow_timeout(self), NULL, error);
}

/* After an A5 the DA wants the host to wait for its 5A and answer 69 before
 * the packet comes again (§5.7). If no 5A comes, the bytes it did send are
 * an error code. */
static gboolean
wf_da_write_resync(WfDa *self, const gchar *what, GError **error)
{
	guint8 seen[WF_DA_MAX_RESYNC_BYTES];
	guint n_seen = 0;

	while (n_seen < sizeof(seen)) {
		g_autoptr(GError) error_local = NULL;
		guint8 byte = 0;

		if (!wf_transport_read_exact(self->transport,
					     &byte,
					     1,
					     wf_da_slow_timeout(self),
					     NULL,
					     &error_local)) {
			if (n_seen >= 4 &&
			    g_error_matches(error_local, WF_ERROR, WF_ERROR_TIMED_OUT)) {
				wf_da_set_broken(self, "the DA refused a packet");
				wf_da_status_set_error(error, wf_da_get_u32(seen), "%s", what);
				return FALSE;
			}
			wf_da_transfer_failed(self, what, g_steal_pointer(&error_local), error);
			return FALSE;
		}
		if (byte == WF_DA_ACK)
			return wf_da_send_byte(self, what, WF_DA_CONT, NULL, error);
		seen[n_seen++] = byte;
	}
	return wf_da_unexpected(self, what, "5A after a NACK", seen[n_seen - 1], error);
}

/* 5A + packet + sum16 → 69; on the very last packet the DA may go straight
 * on to its closing 5A 5A 5A, so a 5A there counts as the first of them */
static gboolean
wf_da_write_packet(WfDa *self,
		   const gchar *what,
		   const guint8 *data,
		   gsize len,
		   gboolean last,
		   guint *closing_acks,
		   GError **error)
{
	g_autofree guint8 *frame = g_malloc(len + 3);
	guint16 sum = wf_da_sum16(data, len);

	frame[0] = WF_DA_ACK;
	memcpy(frame + 1, data, len);
	frame[len + 1] = (guint8)(sum >> 8);
	frame[len + 2] = (guint8)sum;
	for (guint attempt = 0;; attempt++) {
		guint8 reply = 0;

		if (!wf_da_send(self, what, frame, len + 3, NULL, error))
			return FALSE;
		if (!wf_da_recv(self, what, &reply, 1, wf_da_slow_timeout(self), NULL, error))
			return FALSE;
		if (reply == WF_DA_CONT)
			return TRUE;
		if (reply == WF_DA_ACK && last) {
			*closing_acks = 1;
			return TRUE;
		}
		if (reply != WF_DA_NACK)
			return wf_da_unexpected(self, what, "69", reply, error);
		if (attempt >= self->max_retries) {
			g_autofree gchar *why = g_strdup_printf(
				"%s: the watch refused the packet %u times: the USB link damages "
				"data; try another cable or port",
				what,
				attempt + 1);
			wf_da_set_broken(self, "a write packet kept being refused");
			g_set_error_literal(error, WF_ERROR, WF_ERROR_VERIFY_FAILED, why);
			return FALSE;
		}
		if (!wf_da_write_resync(self, what, error))
			return FALSE;
		self->resends++;
	}
}

static gboolean
wf_da_write_data(WfDa *self,
		 GPtrArray *sorted,
		 WfDaEraseMode erase_mode,
		 guint16 *checksums,
		 WfProgress *progress,
		 GCancellable *cancellable,
		 GError **error)
{
	const gchar *what = "D5 WRITE";
	guint8 args[5];
	guint64 total = 0;
	guint64 done = 0;
	guint closing_acks = 0;

	for (guint i = 0; i < sorted->len; i++)
		total += g_bytes_get_size(
			((const WfDaWriteFile *)g_ptr_array_index(sorted, i))->data);
	if (!wf_da_send_byte(self, what, WF_DA_CMD_WRITE, NULL, error))
		return FALSE;
	if (!wf_da_expect_ack(self, what, self->timeout_ms, NULL, error))
		return FALSE;
	args[0] = (guint8)erase_mode;
	wf_da_put_u32(args + 1, self->packet_size);
	if (!wf_da_send(self, what, args, sizeof(args), NULL, error))
		return FALSE;
	if (!wf_da_expect_ack(self, what, wf_da_slow_timeout(self), NULL, error))
		return FALSE;
	if (!wf_da_expect_ack(self, what, wf_da_slow_timeout(self), NULL, error))
		return FALSE;
	if (progress != NULL)
		wf_progress_set_message(progress, "Writing");
	for (guint i = 0; i < sorted->len; i++) {
		const WfDaWriteFile *file = g_ptr_array_index(sorted, i);
		gsize size = 0;
		const guint8 *data = g_bytes_get_data(file->data, &size);
		guint32 sum = 0;

		for (gsize off = 0; off < size; off += self->packet_size) {
			gsize n = MIN(self->packet_size, size - off);
			gboolean last = i + 1 == sorted->len && off + n == size;
			g_autofree gchar *pkt_what = g_strdup_printf("D5 WRITE of %s at 0x%08X",
								     wf_da_file_name(file),
								     file->start + (guint32)off);

			/* a leading A5 instead of 5A aborts the write (§5.7) */
			if (g_cancellable_is_cancelled(cancellable)) {
				guint8 abort_byte = WF_DA_NACK;
				wf_transport_write(self->transport,
						   &abort_byte,
						   1,
						   self->timeout_ms,
						   NULL,
						   NULL);
				wf_da_cancelled_midway(self, cancellable, error);
				return FALSE;
			}
			if (!wf_da_write_packet(
				    self, pkt_what, data + off, n, last, &closing_acks, error))
				return FALSE;
			sum += wf_da_sum16(data + off, n);
			done += n;
			if (progress != NULL)
				wf_progress_set_bytes(progress, done, total);
		}
		checksums[i] = (guint16)sum;
	}
	for (; closing_acks < 3; closing_acks++) {
		if (!wf_da_expect_ack(
			    self, "D5 WRITE: programming", wf_da_slow_timeout(self), NULL, error))
			return FALSE;
	}
	return TRUE;
}

/**
 * wf_da_write_files:
 * @self: a #WfDa
 * @files: the files, in any order
 * @n_files: how many (1–255)
 * @erase_mode: usually %WF_DA_ERASE_BEST_EFFORT
 * @progress: (nullable): gets "Erasing"/"Writing" and the bytes written
 * @cancellable: a #GCancellable, or %NULL; checked between packets
 * @error: (out): return location
 *
 * D3 MEM (declare the files, let the DA pre-erase) then D5 WRITE (4 KiB
 * packets, each `5A + data + sum16`, answered 69; A5 means "again"), then
 * one checksum per file. The DA refuses D3 on a flash without a valid header
 * block (S_DA_HEADER_BLOCK_NOT_EXIST). Does not read back: verifying is the
 * caller's job (wf_da_read_flash()).
 */
gboolean
wf_da_write_files(WfDa *self,
		  const WfDaWriteFile *files,
		  guint n_files,
		  WfDaEraseMode erase_mode,
		  WfProgress *progress,
		  GCancellable *cancellable,
		  GError **error)
{
	g_autoptr(GPtrArray) sorted = NULL;
	g_autofree guint16 *checksums = NULL;

	g_return_val_if_fail(WF_IS_DA(self), FALSE);
	g_return_val_if_fail(files != NULL || n_files == 0, FALSE);
	g_return_val_if_fail(progress == NULL || WF_IS_PROGRESS(progress), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!wf_da_begin(self, cancellable, error))
		return FALSE;
	sorted = wf_da_sort_files(self, files, n_files, error);
	if (sorted == NULL)
		return FALSE;
	checksums = g_new0(guint16, sorted->len);
	if (!wf_da_mem(self, sorted, progress, cancellable, error))
		return FALSE;
	if (!wf_da_write_data(self, sorted, erase_mode, checksums, progress, cancellable, error))
		return FALSE;
	for (guint i = 0; i < sorted->len; i++) {
		const WfDaWriteFile *file = g_ptr_array_index(sorted, i);
		g_autofree gchar *what = g_strdup_printf("checksum of %s", wf_da_file_name(file));
		guint8 sum[2] = {(guint8)(checksums[i] >> 8), (guint8)checksums[i]};

		if (!wf_da_send(self, what, sum, sizeof(sum), NULL, error))
			return FALSE;
		if (!wf_da_expect_ack(self, what, wf_da_slow_timeout(self), NULL, error))
			return FALSE;
	}
	return TRUE;
}

/* ------------------------------------------------------------------------ */
/* D4 FORMAT */

/**
 * wf_da_format:
 * @self: a #WfDa
 * @addr: flash offset
 * @len: bytes to erase
 * @flags: must include %WF_DA_FORMAT_FLAG_ADVANCED
 * @progress: (nullable): gets the percentage
 * @cancellable: a #GCancellable, or %NULL; only checked before starting
 * @error: (out): return location
 *
 * D4 FORMAT of a NOR range. Only the command and its two ACKs are known from
 * the DA's code; the progress framing is assumed to be B8's ({u32 status,
 * u8 percent} answered by 5A until 100) — see docs/download-agent.md. That
 * is why it needs the advanced flag. Erasing loses whatever is there.
 */
gboolean
wf_da_format(WfDa *self,
	     guint32 addr,
	     guint32 len,
	     WfDaFormatFlags flags,
	     WfProgress *progress,
	     GCancellable *cancellable,
	     GError **error)
{
	g_autofree gchar *what = NULL;
	guint8 cmd[12];
	guint last_percent = 0;

	g_return_val_if_fail(WF_IS_DA(self), FALSE);
	g_return_val_if_fail(progress == NULL || WF_IS_PROGRESS(progress), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	what = g_strdup_printf("D4 FORMAT of %u bytes at 0x%08X", len, addr);
	if ((flags & WF_DA_FORMAT_FLAG_ADVANCED) == 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_REFUSED,
			    "%s: formatting through the Download Agent is only partly understood "
			    "and erases data for good; it is an advanced action",
			    what);
		return FALSE;
	}
	if (!wf_da_begin(self, cancellable, error))
		return FALSE;
	if (!wf_da_check_range(self, what, addr, len, error))
		return FALSE;
	cmd[0] = WF_DA_CMD_FORMAT;
	cmd[1] = 0x00; /* must be 0, else the DA ignores the command */
	cmd[2] = 0x00; /* [I] meaning unknown */
	cmd[3] = 0x00; /* [I] flag, meaning unknown */
	wf_da_put_u32(cmd + 4, addr);
	wf_da_put_u32(cmd + 8, len);
	if (!wf_da_send(self, what, cmd, sizeof(cmd), cancellable, error))
		return FALSE;
	if (!wf_da_expect_ack(self, what, self->timeout_ms, NULL, error))
		return FALSE;
	if (!wf_da_expect_ack(self, what, self->timeout_ms, NULL, error))
		return FALSE;
	for (guint step = 0; step < WF_DA_MAX_FORMAT_STEPS; step++) {
		guint8 buf[5];
		guint32 status;
		guint percent;

		if (!wf_da_recv(
			    self, what, buf, sizeof(buf), wf_da_slow_timeout(self), NULL, error))
			return FALSE;
		status = wf_da_get_u32(buf);
		percent = buf[4];
		if (status != WF_DA_STATUS_OK && status != WF_DA_STATUS_IN_PROGRESS) {
			wf_da_set_broken(self, "a format failed halfway");
			wf_da_status_set_error(error, status, "%s", what);
			return FALSE;
		}
		if (percent > 100 || percent < last_percent)
			return wf_da_unexpected(self, what, "a rising percentage", buf[4], error);
		last_percent = percent;
		if (!wf_da_send_byte(self, what, WF_DA_ACK, NULL, error))
			return FALSE;
		if (progress != NULL)
			wf_progress_set_bytes(progress, percent, 100);
		if (percent == 100)
			return TRUE;
	}
	wf_da_set_broken(self, "a format never finished");
	g_set_error(
		error, WF_ERROR, WF_ERROR_PROTOCOL, "%s: the progress never reached 100%%", what);
	return FALSE;
}

/* ------------------------------------------------------------------------ */
/* small commands */

/**
 * wf_da_get_project_id:
 * @self: a #WfDa
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * EF: the firmware's project id, e.g. "1418B01SIM868M32_EAT".
 *
 * Returns: (transfer full): the id (printable ASCII), or %NULL
 */
gchar *
wf_da_get_project_id(WfDa *self, GCancellable *cancellable, GError **error)
{
	const gchar *what = "EF GET_PROJECT_ID";
	guint8 buf[WF_DA_PROJECT_ID_SIZE];
	guint32 status = 0;
	GString *str;

	g_return_val_if_fail(WF_IS_DA(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!wf_da_begin(self, cancellable, error))
		return NULL;
	if (!wf_da_send_byte(self, what, WF_DA_CMD_GET_PROJECT_ID, cancellable, error))
		return NULL;
	if (!wf_da_recv(self, what, buf, 4, self->timeout_ms, NULL, error))
		return NULL;
	status = wf_da_get_u32(buf);
	if (status != WF_DA_STATUS_OK) {
		wf_da_status_set_error(error, status, "%s", what);
		return NULL;
	}
	if (!wf_da_recv(self, what, buf, sizeof(buf), self->timeout_ms, NULL, error))
		return NULL;
	str = g_string_new(NULL);
	for (gsize i = 0; i < sizeof(buf) && buf[i] != '\0'; i++)
		g_string_append_c(str, g_ascii_isprint(buf[i]) ? (gchar)buf[i] : '?');
	return g_string_free(str, FALSE);
}

/**
 * wf_da_get_fat_info:
 * @self: a #WfDa
 * @info: (out): where the file systems are
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * F0: the NOR file system's place, i.e. the flash tail that holds NVRAM,
 * IMEI, calibration and pairings (0x00380000 + 0x7E000 on a SIM868 build).
 */
gboolean
wf_da_get_fat_info(WfDa *self, WfDaFatInfo *info, GCancellable *cancellable, GError **error)
{
	const gchar *what = "F0 GET_FAT_INFO";
	guint8 buf[WF_DA_FAT_INFO_SIZE];

	g_return_val_if_fail(WF_IS_DA(self), FALSE);
	g_return_val_if_fail(info != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!wf_da_begin(self, cancellable, error))
		return FALSE;
	if (!wf_da_send_byte(self, what, WF_DA_CMD_GET_FAT_INFO, cancellable, error))
		return FALSE;
	if (!wf_da_recv(self, what, buf, sizeof(buf), self->timeout_ms, NULL, error))
		return FALSE;
	info->status = wf_da_get_u32(buf);
	info->nor_addr = wf_da_get_u32(buf + 4);
	info->nor_len = wf_da_get_u32(buf + 8);
	info->nand_addr = wf_da_get_u32(buf + 12);
	info->nand_len = wf_da_get_u32(buf + 16);
	info->emmc_addr = wf_da_get_u32(buf + 20);
	info->emmc_len = wf_da_get_u32(buf + 24);
	if (info->status != WF_DA_STATUS_OK) {
		wf_da_status_set_error(error, info->status, "%s", what);
		return FALSE;
	}
	return TRUE;
}

/**
 * wf_da_clear_powerkey:
 * @self: a #WfDa
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * B9, which the reset sequences of the open tools send first.
 */
gboolean
wf_da_clear_powerkey(WfDa *self, GCancellable *cancellable, GError **error)
{
	const gchar *what = "B9 CLEAR_POWERKEY";

	g_return_val_if_fail(WF_IS_DA(self), FALSE);
	if (!wf_da_begin(self, cancellable, error))
		return FALSE;
	if (!wf_da_send_byte(self, what, WF_DA_CMD_CLEAR_POWERKEY, cancellable, error))
		return FALSE;
	return wf_da_expect_ack(self, what, self->timeout_ms, NULL, error);
}

/**
 * wf_da_finish:
 * @self: a #WfDa
 * @mode: 0, as every client sends
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * D9 FINISH: ends the session. The DA's last byte is A5 in SP Flash Tool's
 * capture and 5A in other builds; both are success.
 */
gboolean
wf_da_finish(WfDa *self, guint32 mode, GCancellable *cancellable, GError **error)
{
	const gchar *what = "D9 FINISH";
	guint8 buf[4];
	guint8 reply = 0;

	g_return_val_if_fail(WF_IS_DA(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!wf_da_begin(self, cancellable, error))
		return FALSE;
	if (!wf_da_send_byte(self, what, WF_DA_CMD_FINISH, cancellable, error))
		return FALSE;
	if (!wf_da_expect_ack(self, what, self->timeout_ms, NULL, error))
		return FALSE;
	wf_da_put_u32(buf, mode);
	if (!wf_da_send(self, what, buf, sizeof(buf), NULL, error))
		return FALSE;
	if (!wf_da_recv(self, what, &reply, 1, self->timeout_ms, NULL, error))
		return FALSE;
	if (reply != WF_DA_ACK && reply != WF_DA_NACK)
		return wf_da_unexpected(self, what, "5A or A5", reply, error);
	wf_da_set_broken(self, "the session was finished");
	return TRUE;
}

/**
 * wf_da_enable_watchdog:
 * @self: a #WfDa
 * @timeout: watchdog timeout; the open tools send 0x0140
 * @flags: 0
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * DB: the DA arms the watchdog and spins, so the watch resets and its port
 * goes away. This ends the session.
 */
gboolean
wf_da_enable_watchdog(
	WfDa *self, guint16 timeout, guint32 flags, GCancellable *cancellable, GError **error)
{
	const gchar *what = "DB ENABLE_WATCHDOG";
	guint8 cmd[7];

	g_return_val_if_fail(WF_IS_DA(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!wf_da_begin(self, cancellable, error))
		return FALSE;
	cmd[0] = WF_DA_CMD_ENABLE_WATCHDOG;
	cmd[1] = (guint8)(timeout >> 8);
	cmd[2] = (guint8)timeout;
	wf_da_put_u32(cmd + 3, flags);
	if (!wf_da_send(self, what, cmd, sizeof(cmd), cancellable, error))
		return FALSE;
	if (!wf_da_expect_ack(self, what, self->timeout_ms, NULL, error))
		return FALSE;
	wf_da_set_broken(self, "the watch was reset");
	return TRUE;
}
