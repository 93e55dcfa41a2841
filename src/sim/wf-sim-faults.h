/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define WF_TYPE_SIM_FAULTS (wf_sim_faults_get_type())
G_DECLARE_FINAL_TYPE(WfSimFaults, wf_sim_faults, WF, SIM_FAULTS, GObject)

/* Directions are named as the wire log names them. */
typedef enum {
	WF_SIM_DIRECTION_OUT, /* host to watch */
	WF_SIM_DIRECTION_IN,  /* watch to host */
} WfSimDirection;

typedef enum {
	WF_SIM_BYTE_FAULT_DROP,	     /* byte @position never arrives */
	WF_SIM_BYTE_FAULT_CORRUPT,   /* byte @position arrives XORed with @value */
	WF_SIM_BYTE_FAULT_STALL,     /* the link stops @value ms before byte @position */
	WF_SIM_BYTE_FAULT_DISCONNECT /* the port vanishes after @position bytes */
} WfSimByteFaultKind;

typedef struct {
	WfSimByteFaultKind kind;
	guint64 position;
	guint value;
} WfSimByteFault;

/* faults of the Download Agent phase, acted on by wf-sim-da.c */
typedef enum {
	WF_SIM_DA_FAULT_SILENT,	       /* da-silent[:COUNT]: no sync after JUMP_DA */
	WF_SIM_DA_FAULT_UNKNOWN_FLASH, /* da-unknown-flash[:COUNT]: no flash record matches */
	WF_SIM_DA_FAULT_BAD_READ,      /* da-bad-read:N: readback packet N arrives damaged */
	WF_SIM_DA_FAULT_NACK,	       /* da-nack:N: the next N write packets get A5 */
	WF_SIM_DA_FAULT_DISCONNECT,    /* da-disconnect:DIR:N: gone after N DA bytes */
} WfSimDaFaultKind;

WfSimFaults *
wf_sim_faults_new(void);
gboolean
wf_sim_faults_parse(WfSimFaults *self, const gchar *spec, GError **error);
guint
wf_sim_faults_get_count(WfSimFaults *self);

gboolean
wf_sim_faults_take_byte_fault(WfSimFaults *self,
			      WfSimDirection direction,
			      guint64 from,
			      guint64 to,
			      WfSimByteFault *fault);
gboolean
wf_sim_faults_get_no_handshake(WfSimFaults *self);
gboolean
wf_sim_faults_take_bad_handshake(WfSimFaults *self);
guint
wf_sim_faults_get_slow_ms(WfSimFaults *self);
gboolean
wf_sim_faults_has_read_faults(WfSimFaults *self);
guint32
wf_sim_faults_filter_read32(WfSimFaults *self, guint32 addr, guint32 value);
guint16
wf_sim_faults_filter_read16(WfSimFaults *self, guint32 addr, guint16 value);
gboolean
wf_sim_faults_take_da_fault(WfSimFaults *self,
			    WfSimDaFaultKind kind,
			    WfSimDirection *direction,
			    guint64 *value);

G_END_DECLS
