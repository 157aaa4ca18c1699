#pragma once
// Declarations only (see gloo/context.h).
#include "gloo/context.h"
