/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-sim-faults.h"

#include <string.h>

#include "wf-error.h"

/*
 * Deterministic fault injection. The grammar is documented in
 * docs/simulator.md; in short, a comma-separated list of
 *   drop:DIR:N  corrupt:DIR:N[:XOR]  stall:DIR:N:MS  disconnect:DIR:N
 *   bad-handshake[:COUNT]  no-handshake  slow:MS
 *   flaky-read:ADDR  unstable-read:ADDR
 *   da-silent[:COUNT]  da-unknown-flash[:COUNT]  da-bad-read:N  da-nack:N
 *   da-disconnect:DIR:N
 * Byte faults count the sender's bytes from the moment a port appears and
 * fire once per watch, so a client that retries after a fault can succeed.
 */

typedef enum {
	WF_SIM_FAULT_BYTE,
	WF_SIM_FAULT_BAD_HANDSHAKE,
	WF_SIM_FAULT_NO_HANDSHAKE,
	WF_SIM_FAULT_SLOW,
	WF_SIM_FAULT_FLAKY_READ,
	WF_SIM_FAULT_UNSTABLE_READ,
	WF_SIM_FAULT_DA, /* @da_kind says which */
} WfSimFaultKind;

typedef struct {
	WfSimFaultKind kind;
	WfSimDaFaultKind da_kind;
	WfSimByteFault byte;
	WfSimDirection direction;
	guint32 addr;
	guint remaining; /* bad-handshake: wrong replies left; G_MAXUINT = forever */
	guint64 counter; /* unstable-read: reads so far */
	gboolean fired;
} WfSimFault;

struct _WfSimFaults {
	GObject parent_instance;
	GMutex mutex;
	GArray *faults; /* of WfSimFault */
};

G_DEFINE_FINAL_TYPE(WfSimFaults, wf_sim_faults, G_TYPE_OBJECT)

static void
wf_sim_faults_finalize(GObject *object)
{
	WfSimFaults *self = WF_SIM_FAULTS(object);

	g_array_unref(self->faults);
	g_mutex_clear(&self->mutex);
	G_OBJECT_CLASS(wf_sim_faults_parent_class)->finalize(object);
}

static void
wf_sim_faults_class_init(WfSimFaultsClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_sim_faults_finalize;
}

static void
wf_sim_faults_init(WfSimFaults *self)
{
	g_mutex_init(&self->mutex);
	self->faults = g_array_new(FALSE, TRUE, sizeof(WfSimFault));
}

/**
 * wf_sim_faults_new:
 *
 * An empty fault set: a perfect watch on a perfect cable.
 */
WfSimFaults *
wf_sim_faults_new(void)
{
	return g_object_new(WF_TYPE_SIM_FAULTS, NULL);
}

static gboolean
wf_sim_faults_parse_number(
	const gchar *fault, const gchar *text, guint64 max, guint64 *value, GError **error)
{
	gchar *end = NULL;
	guint64 v;

	if (text == NULL || *text == '\0') {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "fault '%s': a number is missing",
			    fault);
		return FALSE;
	}
	v = g_ascii_strtoull(text, &end, 0);
	if (*end != '\0' || v > max) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "fault '%s': '%s' is not a number up to %" G_GUINT64_FORMAT,
			    fault,
			    text,
			    max);
		return FALSE;
	}
	*value = v;
	return TRUE;
}

static gboolean
wf_sim_faults_parse_direction(const gchar *fault,
			      const gchar *text,
			      WfSimDirection *direction,
			      GError **error)
{
	if (g_strcmp0(text, "out") == 0) {
		*direction = WF_SIM_DIRECTION_OUT;
		return TRUE;
	}
	if (g_strcmp0(text, "in") == 0) {
		*direction = WF_SIM_DIRECTION_IN;
		return TRUE;
	}
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_INVALID_DATA,
		    "fault '%s': direction must be 'out' (host to watch) or 'in' (watch to host)",
		    fault);
	return FALSE;
}

static gboolean
wf_sim_faults_check_argc(const gchar *fault, guint argc, guint min, guint max, GError **error)
{
	if (argc < min || argc > max) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "fault '%s': wrong number of fields",
			    fault);
		return FALSE;
	}
	return TRUE;
}

static gboolean
wf_sim_faults_parse_byte_fault(
	const gchar *fault, gchar **parts, guint argc, WfSimFault *out, GError **error)
{
	const gchar *name = parts[0];
	guint64 position = 0;
	guint64 value = 0;

	out->kind = WF_SIM_FAULT_BYTE;
	if (g_strcmp0(name, "drop") == 0) {
		out->byte.kind = WF_SIM_BYTE_FAULT_DROP;
		if (!wf_sim_faults_check_argc(fault, argc, 3, 3, error))
			return FALSE;
	} else if (g_strcmp0(name, "corrupt") == 0) {
		out->byte.kind = WF_SIM_BYTE_FAULT_CORRUPT;
		if (!wf_sim_faults_check_argc(fault, argc, 3, 4, error))
			return FALSE;
		value = 0xFF;
		if (argc == 4 && !wf_sim_faults_parse_number(fault, parts[3], 0xFF, &value, error))
			return FALSE;
		if (value == 0) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "fault '%s': XOR 0 would not corrupt anything",
				    fault);
			return FALSE;
		}
	} else if (g_strcmp0(name, "stall") == 0) {
		out->byte.kind = WF_SIM_BYTE_FAULT_STALL;
		if (!wf_sim_faults_check_argc(fault, argc, 4, 4, error))
			return FALSE;
		if (!wf_sim_faults_parse_number(fault, parts[3], 3600000, &value, error))
			return FALSE;
	} else {
		out->byte.kind = WF_SIM_BYTE_FAULT_DISCONNECT;
		if (!wf_sim_faults_check_argc(fault, argc, 3, 3, error))
			return FALSE;
	}
	if (!wf_sim_faults_parse_direction(fault, parts[1], &out->direction, error))
		return FALSE;
	if (!wf_sim_faults_parse_number(fault, parts[2], G_MAXUINT64 - 1, &position, error))
		return FALSE;
	out->byte.position = position;
	out->byte.value = (guint)value;
	return TRUE;
}

/* da-silent[:COUNT], da-unknown-flash[:COUNT]: every DA session, or the first COUNT;
 * da-bad-read:N, da-nack:N, da-disconnect:DIR:N: once (docs/simulator.md) */
static gboolean
wf_sim_faults_parse_da_fault(
	const gchar *fault, gchar **parts, guint argc, WfSimFault *out, GError **error)
{
	const gchar *name = parts[0];
	guint64 value = 0;

	out->kind = WF_SIM_FAULT_DA;
	if (g_strcmp0(name, "da-silent") == 0 || g_strcmp0(name, "da-unknown-flash") == 0) {
		out->da_kind = g_strcmp0(name, "da-silent") == 0 ? WF_SIM_DA_FAULT_SILENT
								 : WF_SIM_DA_FAULT_UNKNOWN_FLASH;
		if (!wf_sim_faults_check_argc(fault, argc, 1, 2, error))
			return FALSE;
		out->remaining = G_MAXUINT;
		if (argc == 2) {
			if (!wf_sim_faults_parse_number(
				    fault, parts[1], G_MAXUINT - 1, &value, error))
				return FALSE;
			out->remaining = (guint)value;
		}
		return TRUE;
	}
	if (g_strcmp0(name, "da-disconnect") == 0) {
		out->da_kind = WF_SIM_DA_FAULT_DISCONNECT;
		if (!wf_sim_faults_check_argc(fault, argc, 3, 3, error))
			return FALSE;
		if (!wf_sim_faults_parse_direction(fault, parts[1], &out->direction, error))
			return FALSE;
		return wf_sim_faults_parse_number(
			fault, parts[2], G_MAXUINT64 - 1, &out->byte.position, error);
	}
	if (g_strcmp0(name, "da-bad-read") == 0 || g_strcmp0(name, "da-nack") == 0) {
		out->da_kind = g_strcmp0(name, "da-nack") == 0 ? WF_SIM_DA_FAULT_NACK
							       : WF_SIM_DA_FAULT_BAD_READ;
		if (!wf_sim_faults_check_argc(fault, argc, 2, 2, error))
			return FALSE;
		return wf_sim_faults_parse_number(
			fault, parts[1], G_MAXUINT32, &out->byte.position, error);
	}
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_INVALID_DATA,
		    "unknown fault '%s' (see docs/simulator.md)",
		    fault);
	return FALSE;
}

static gboolean
wf_sim_faults_parse_one(WfSimFaults *self, const gchar *fault, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(fault, ":", -1);
	guint argc = g_strv_length(parts);
	const gchar *name = parts[0];
	WfSimFault out = {0};
	guint64 value = 0;

	if (g_strcmp0(name, "drop") == 0 || g_strcmp0(name, "corrupt") == 0 ||
	    g_strcmp0(name, "stall") == 0 || g_strcmp0(name, "disconnect") == 0) {
		if (!wf_sim_faults_parse_byte_fault(fault, parts, argc, &out, error))
			return FALSE;
	} else if (g_strcmp0(name, "bad-handshake") == 0) {
		if (!wf_sim_faults_check_argc(fault, argc, 1, 2, error))
			return FALSE;
		out.kind = WF_SIM_FAULT_BAD_HANDSHAKE;
		out.remaining = G_MAXUINT;
		if (argc == 2) {
			if (!wf_sim_faults_parse_number(
				    fault, parts[1], G_MAXUINT - 1, &value, error))
				return FALSE;
			out.remaining = (guint)value;
		}
	} else if (g_strcmp0(name, "no-handshake") == 0) {
		if (!wf_sim_faults_check_argc(fault, argc, 1, 1, error))
			return FALSE;
		out.kind = WF_SIM_FAULT_NO_HANDSHAKE;
	} else if (g_strcmp0(name, "slow") == 0) {
		if (!wf_sim_faults_check_argc(fault, argc, 2, 2, error))
			return FALSE;
		if (!wf_sim_faults_parse_number(fault, parts[1], 60000, &value, error))
			return FALSE;
		out.kind = WF_SIM_FAULT_SLOW;
		out.byte.value = (guint)value;
	} else if (g_strcmp0(name, "flaky-read") == 0 || g_strcmp0(name, "unstable-read") == 0) {
		if (!wf_sim_faults_check_argc(fault, argc, 2, 2, error))
			return FALSE;
		if (!wf_sim_faults_parse_number(fault, parts[1], G_MAXUINT32, &value, error))
			return FALSE;
		out.kind = g_strcmp0(name, "flaky-read") == 0 ? WF_SIM_FAULT_FLAKY_READ
							      : WF_SIM_FAULT_UNSTABLE_READ;
		out.addr = (guint32)value;
	} else if (g_str_has_prefix(name, "da-")) {
		if (!wf_sim_faults_parse_da_fault(fault, parts, argc, &out, error))
			return FALSE;
	} else {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "unknown fault '%s' (see docs/simulator.md)",
			    fault);
		return FALSE;
	}
	g_mutex_lock(&self->mutex);
	g_array_append_val(self->faults, out);
	g_mutex_unlock(&self->mutex);
	return TRUE;
}

/**
 * wf_sim_faults_parse:
 * @self: a #WfSimFaults
 * @spec: faults separated by commas, semicolons or blanks; %NULL or "" = none
 * @error: (out): return location
 *
 * Adds the faults of @spec to those already set. On error nothing of @spec
 * that follows the bad fault is added.
 */
gboolean
wf_sim_faults_parse(WfSimFaults *self, const gchar *spec, GError **error)
{
	g_auto(GStrv) items = NULL;

	g_return_val_if_fail(WF_IS_SIM_FAULTS(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (spec == NULL)
		return TRUE;
	items = g_strsplit_set(spec, ",; \t\n", -1);
	for (guint i = 0; items[i] != NULL; i++) {
		if (items[i][0] == '\0')
			continue;
		if (!wf_sim_faults_parse_one(self, items[i], error))
			return FALSE;
	}
	return TRUE;
}

/**
 * wf_sim_faults_get_count:
 * @self: a #WfSimFaults
 *
 * How many faults are configured (fired or not).
 */
guint
wf_sim_faults_get_count(WfSimFaults *self)
{
	guint n;

	g_return_val_if_fail(WF_IS_SIM_FAULTS(self), 0);
	g_mutex_lock(&self->mutex);
	n = self->faults->len;
	g_mutex_unlock(&self->mutex);
	return n;
}

/**
 * wf_sim_faults_take_byte_fault:
 * @self: a #WfSimFaults
 * @direction: which way the bytes go
 * @from: position of the first byte of a write (bytes sent since the port appeared)
 * @to: position just after the last byte of the write
 * @fault: (out): the fault
 *
 * Finds the earliest fault that has not fired yet and falls into this write:
 * drop/corrupt/stall at a position in [@from, @to), a disconnect at a
 * position in [@from, @to] (a disconnect "after N bytes" fires as soon as the
 * N-th byte has gone). Marks it fired.
 *
 * Returns: %TRUE if a fault was found
 */
gboolean
wf_sim_faults_take_byte_fault(WfSimFaults *self,
			      WfSimDirection direction,
			      guint64 from,
			      guint64 to,
			      WfSimByteFault *fault)
{
	WfSimFault *best = NULL;

	g_return_val_if_fail(WF_IS_SIM_FAULTS(self), FALSE);
	g_return_val_if_fail(fault != NULL, FALSE);

	g_mutex_lock(&self->mutex);
	for (guint i = 0; i < self->faults->len; i++) {
		WfSimFault *f = &g_array_index(self->faults, WfSimFault, i);
		guint64 end = f->byte.kind == WF_SIM_BYTE_FAULT_DISCONNECT ? to + 1 : to;

		if (f->kind != WF_SIM_FAULT_BYTE || f->fired || f->direction != direction)
			continue;
		if (f->byte.position < from || f->byte.position >= end)
			continue;
		if (best == NULL || f->byte.position < best->byte.position)
			best = f;
	}
	if (best != NULL) {
		best->fired = TRUE;
		*fault = best->byte;
	}
	g_mutex_unlock(&self->mutex);
	return best != NULL;
}

static WfSimFault *
wf_sim_faults_find_locked(WfSimFaults *self, WfSimFaultKind kind)
{
	for (guint i = 0; i < self->faults->len; i++) {
		WfSimFault *f = &g_array_index(self->faults, WfSimFault, i);
		if (f->kind == kind)
			return f;
	}
	return NULL;
}

/**
 * wf_sim_faults_get_no_handshake:
 * @self: a #WfSimFaults
 *
 * Returns: %TRUE if the port never answers the handshake
 */
gboolean
wf_sim_faults_get_no_handshake(WfSimFaults *self)
{
	gboolean ret;

	g_return_val_if_fail(WF_IS_SIM_FAULTS(self), FALSE);
	g_mutex_lock(&self->mutex);
	ret = wf_sim_faults_find_locked(self, WF_SIM_FAULT_NO_HANDSHAKE) != NULL;
	g_mutex_unlock(&self->mutex);
	return ret;
}

/**
 * wf_sim_faults_take_bad_handshake:
 * @self: a #WfSimFaults
 *
 * Called for every handshake reply.
 *
 * Returns: %TRUE if this reply must be wrong
 */
gboolean
wf_sim_faults_take_bad_handshake(WfSimFaults *self)
{
	WfSimFault *f;
	gboolean ret = FALSE;

	g_return_val_if_fail(WF_IS_SIM_FAULTS(self), FALSE);
	g_mutex_lock(&self->mutex);
	f = wf_sim_faults_find_locked(self, WF_SIM_FAULT_BAD_HANDSHAKE);
	if (f != NULL && f->remaining > 0) {
		if (f->remaining != G_MAXUINT)
			f->remaining--;
		ret = TRUE;
	}
	g_mutex_unlock(&self->mutex);
	return ret;
}

/**
 * wf_sim_faults_get_slow_ms:
 * @self: a #WfSimFaults
 *
 * Returns: extra milliseconds before each BROM command is answered
 */
guint
wf_sim_faults_get_slow_ms(WfSimFaults *self)
{
	guint ret = 0;

	g_return_val_if_fail(WF_IS_SIM_FAULTS(self), 0);
	g_mutex_lock(&self->mutex);
	for (guint i = 0; i < self->faults->len; i++) {
		WfSimFault *f = &g_array_index(self->faults, WfSimFault, i);
		if (f->kind == WF_SIM_FAULT_SLOW)
			ret += f->byte.value;
	}
	g_mutex_unlock(&self->mutex);
	return ret;
}

/**
 * wf_sim_faults_has_read_faults:
 * @self: a #WfSimFaults
 *
 * Returns: %TRUE if any flaky-read or unstable-read is set (so readers can
 *   skip the per-word filter otherwise)
 */
gboolean
wf_sim_faults_has_read_faults(WfSimFaults *self)
{
	gboolean ret;

	g_return_val_if_fail(WF_IS_SIM_FAULTS(self), FALSE);
	g_mutex_lock(&self->mutex);
	ret = wf_sim_faults_find_locked(self, WF_SIM_FAULT_FLAKY_READ) != NULL ||
	      wf_sim_faults_find_locked(self, WF_SIM_FAULT_UNSTABLE_READ) != NULL;
	g_mutex_unlock(&self->mutex);
	return ret;
}

/* A non-zero mask that differs for every read: the multiplier is odd, so
 * distinct counters give distinct products modulo 2^32 (and 2^16). */
static guint32
wf_sim_faults_unstable_mask(guint64 counter)
{
	return (guint32)((counter + 1) * 0x9E3779B1u);
}

/*
 * @addr and @mask_addr are the aligned address of the word being read;
 * @width is 4 or 2. Returns the XOR mask to apply (0 = value is right).
 */
static guint32
wf_sim_faults_read_mask(WfSimFaults *self, guint32 addr, guint width)
{
	guint32 mask = 0;

	g_mutex_lock(&self->mutex);
	for (guint i = 0; i < self->faults->len; i++) {
		WfSimFault *f = &g_array_index(self->faults, WfSimFault, i);

		if (f->kind != WF_SIM_FAULT_FLAKY_READ && f->kind != WF_SIM_FAULT_UNSTABLE_READ)
			continue;
		if ((f->addr & ~(width - 1)) != addr)
			continue;
		if (f->kind == WF_SIM_FAULT_FLAKY_READ && !f->fired) {
			f->fired = TRUE;
			mask ^= 0xFFFFFFFFu;
		} else if (f->kind == WF_SIM_FAULT_UNSTABLE_READ) {
			mask ^= wf_sim_faults_unstable_mask(f->counter++);
		}
	}
	g_mutex_unlock(&self->mutex);
	return mask;
}

/**
 * wf_sim_faults_filter_read32:
 * @self: a #WfSimFaults
 * @addr: a 4-aligned bus address a host command reads
 * @value: the right value
 *
 * Returns: the value the host gets
 */
guint32
wf_sim_faults_filter_read32(WfSimFaults *self, guint32 addr, guint32 value)
{
	g_return_val_if_fail(WF_IS_SIM_FAULTS(self), value);
	return value ^ wf_sim_faults_read_mask(self, addr & ~3u, 4);
}

/**
 * wf_sim_faults_filter_read16:
 * @self: a #WfSimFaults
 * @addr: a 2-aligned bus address a host command reads
 * @value: the right value
 *
 * Returns: the value the host gets
 */
guint16
wf_sim_faults_filter_read16(WfSimFaults *self, guint32 addr, guint16 value)
{
	guint32 mask;

	g_return_val_if_fail(WF_IS_SIM_FAULTS(self), value);
	mask = wf_sim_faults_read_mask(self, addr & ~1u, 2);
	/* fold so that a mask with only high bits still changes the half-word */
	return value ^ (guint16)((mask & 0xFFFF) != 0 ? mask : (mask >> 16));
}

/**
 * wf_sim_faults_take_da_fault:
 * @self: a #WfSimFaults
 * @kind: which Download Agent fault
 * @direction: (out) (optional): da-disconnect's direction
 * @value: (out) (optional): N of da-bad-read, da-nack, da-disconnect
 *
 * Called by the DA emulation when it reaches the point where @kind would
 * act. da-silent and da-unknown-flash use up one of their COUNT; the others
 * fire once per watch.
 *
 * Returns: %TRUE if the fault applies now
 */
gboolean
wf_sim_faults_take_da_fault(WfSimFaults *self,
			    WfSimDaFaultKind kind,
			    WfSimDirection *direction,
			    guint64 *value)
{
	gboolean ret = FALSE;

	g_return_val_if_fail(WF_IS_SIM_FAULTS(self), FALSE);
	g_mutex_lock(&self->mutex);
	for (guint i = 0; i < self->faults->len && !ret; i++) {
		WfSimFault *f = &g_array_index(self->faults, WfSimFault, i);

		if (f->kind != WF_SIM_FAULT_DA || f->da_kind != kind)
			continue;
		if (kind == WF_SIM_DA_FAULT_SILENT || kind == WF_SIM_DA_FAULT_UNKNOWN_FLASH) {
			if (f->remaining == 0)
				continue;
			if (f->remaining != G_MAXUINT)
				f->remaining--;
		} else {
			if (f->fired)
				continue;
			f->fired = TRUE;
		}
		if (direction != NULL)
			*direction = f->direction;
		if (value != NULL)
			*value = f->byte.position;
		ret = TRUE;
	}
	g_mutex_unlock(&self->mutex);
	return ret;
}
