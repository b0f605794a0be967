#ifndef DOSECAL_LAPACKE_SHIMS_H
#define DOSECAL_LAPACKE_SHIMS_H
/* The only C this project touches: LAPACKE (linked against OpenBLAS) (Debian liblapacke-dev,
   libopenblas-dev). `lapack_int` is a macro in lapacke.h, so it is given a typedef here that
   Swift can see. Nobody but DoseCalNumerics/LAPACK.swift imports this module. */
#include <lapacke.h>
typedef lapack_int dosecal_lapack_int;
#endif
