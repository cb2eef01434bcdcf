/* Register names as the assembler spells them. */
#include <stddef.h>

#include "ia64/decode.h"

const char *ia64_ar_name(unsigned ar)
{
    static const char *const k[8] = {"k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"};
    if (ar < 8)
        return k[ar];
    switch (ar) {
    case 16: return "rsc";
    case 17: return "bsp";
    case 18: return "bspstore";
    case 19: return "rnat";
    case 21: return "fcr";
    case 24: return "eflag";
    case 25: return "csd";
    case 26: return "ssd";
    case 27: return "cflg";
    case 28: return "fsr";
    case 29: return "fir";
    case 30: return "fdr";
    case 32: return "ccv";
    case 36: return "unat";
    case 40: return "fpsr";
    case 44: return "itc";
    case 45: return "ruc";
    case 64: return "pfs";
    case 65: return "lc";
    case 66: return "ec";
    }
    return NULL;
}

const char *ia64_cr_name(unsigned cr)
{
    switch (cr) {
    case 0: return "dcr";
    case 1: return "itm";
    case 2: return "iva";
    case 8: return "pta";
    case 16: return "ipsr";
    case 17: return "isr";
    case 19: return "iip";
    case 20: return "ifa";
    case 21: return "itir";
    case 22: return "iipa";
    case 23: return "ifs";
    case 24: return "iim";
    case 25: return "iha";
    case 64: return "lid";
    case 65: return "ivr";
    case 66: return "tpr";
    case 67: return "eoi";
    case 68: return "irr0";
    case 69: return "irr1";
    case 70: return "irr2";
    case 71: return "irr3";
    case 72: return "itv";
    case 73: return "pmv";
    case 74: return "cmcv";
    case 80: return "lrr0";
    case 81: return "lrr1";
    }
    return NULL;
}
