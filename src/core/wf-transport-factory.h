/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wf-transport.h"

G_BEGIN_DECLS

WfTransport *
wf_transport_new_for_path(const gchar *path, GError **error);

G_END_DECLS
