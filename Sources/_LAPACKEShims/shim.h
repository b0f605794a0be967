#ifndef DOSECAL_LAPACKE_SHIMS_H
#define DOSECAL_LAPACKE_SHIMS_H
/* The only C the numerical core touches: LAPACKE over OpenBLAS (Debian liblapacke-dev,
   libopenblas-dev). Nobody but DoseCalNumerics/LAPACK.swift imports this module.

   LAPACKE is opened on first use (dlopen), not linked. OpenBLAS starts one worker thread per
   core when it is loaded, and each spins on sched_yield for about 0.1 s of CPU before it
   sleeps: in every dosecal process, also those that do no linear algebra, and on a two-core
   machine beside the engine's two threads. DoseCal's least-squares problems are a few
   columns wide, so OPENBLAS_NUM_THREADS is set to 1 before the library is opened (a value
   already in the environment is kept), and a run that needs no linear algebra never loads it.

   `lapack_int` is a macro in lapacke.h, so it is given a typedef here that Swift can see. */
#include <lapacke.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>

typedef lapack_int dosecal_lapack_int;

typedef lapack_int (*dosecal_dgelsd_function)(int matrix_layout, lapack_int m, lapack_int n, lapack_int nrhs, double *a,
                                              lapack_int lda, double *b, lapack_int ldb, double *s, double rcond,
                                              lapack_int *rank);
typedef lapack_int (*dosecal_dgesvd_function)(int matrix_layout, char jobu, char jobvt, lapack_int m, lapack_int n,
                                              double *a, lapack_int lda, double *s, double *u, lapack_int ldu, double *vt,
                                              lapack_int ldvt, double *superb);

/* The LAPACKE routines DoseCal calls; both NULL when the library could not be opened. */
struct dosecal_lapacke_functions {
    dosecal_dgelsd_function dgelsd;
    dosecal_dgesvd_function dgesvd;
};

/* The opened routines (function-local storage: Swift emits the functions of a header, not its
   variables). */
static inline struct dosecal_lapacke_functions *dosecal_lapacke_storage(void) {
    static struct dosecal_lapacke_functions loaded;
    return &loaded;
}

static inline pthread_once_t *dosecal_lapacke_once(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    return &once;
}

static inline void dosecal_lapacke_open(void) {
    setenv("OPENBLAS_NUM_THREADS", "1", 0);
#ifdef __APPLE__
    const char *names[] = {"liblapacke.dylib", "/opt/homebrew/opt/lapack/lib/liblapacke.dylib",
                           "/usr/local/opt/lapack/lib/liblapacke.dylib"};
#else
    const char *names[] = {"liblapacke.so.3", "liblapacke.so"};
#endif
    void *library = NULL;
    for (unsigned k = 0; k < sizeof names / sizeof names[0] && library == NULL; k++) {
        library = dlopen(names[k], RTLD_NOW | RTLD_LOCAL);
    }
    if (library == NULL) return;
    dosecal_dgelsd_function dgelsd = (dosecal_dgelsd_function)dlsym(library, "LAPACKE_dgelsd");
    dosecal_dgesvd_function dgesvd = (dosecal_dgesvd_function)dlsym(library, "LAPACKE_dgesvd");
    if (dgelsd == NULL || dgesvd == NULL) return;
    dosecal_lapacke_storage()->dgelsd = dgelsd;
    dosecal_lapacke_storage()->dgesvd = dgesvd;
}

/* The routines, the library opened once per process (thread-safe). */
static inline struct dosecal_lapacke_functions dosecal_lapacke(void) {
    pthread_once(dosecal_lapacke_once(), dosecal_lapacke_open);
    return *dosecal_lapacke_storage();
}
#endif
