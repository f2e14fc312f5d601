/* Single-thread cblas_sgemm rate of the OpenBLAS this process loads (the one FAISS links):
 *   sgemm [M N K seconds]   (default 1024 4096 256 1.5: C[MxN] = A[MxK] * B[NxK]^T, FAISS's shape)
 * Prints one JSON line: the core OpenBLAS uses, its config string, the library file, and GFLOP/s
 * (2*M*N*K per call) for each of 5 timed chunks. Built by sgemm.mjs; OPENBLAS_CORETYPE etc. come
 * from the environment as for any OpenBLAS user. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Declared here rather than from cblas.h, whose include path differs between distributions. */
enum { RowMajor = 101, NoTrans = 111, Trans = 112 };
void cblas_sgemm(int order, int ta, int tb, int m, int n, int k, float alpha, const float *a, int lda,
                 const float *b, int ldb, float beta, float *c, int ldc);
char *openblas_get_corename(void);
char *openblas_get_config(void);
void openblas_set_num_threads(int n);

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  int m = argc > 1 ? atoi(argv[1]) : 1024, n = argc > 2 ? atoi(argv[2]) : 4096, k = argc > 3 ? atoi(argv[3]) : 256;
  double seconds = argc > 4 ? atof(argv[4]) : 1.5;
  float *a = malloc(sizeof(float) * m * k), *b = malloc(sizeof(float) * n * k), *c = malloc(sizeof(float) * m * n);
  if (!a || !b || !c) return 1;
  srand(1);
  for (long i = 0; i < (long)m * k; i++) a[i] = (float)rand() / RAND_MAX - 0.5f;
  for (long i = 0; i < (long)n * k; i++) b[i] = (float)rand() / RAND_MAX - 0.5f;
  openblas_set_num_threads(1);
  Dl_info info = {0};
  dladdr((void *)cblas_sgemm, &info);
  /* Warm up, then size a chunk to a fifth of the time asked for. */
  double t0 = now();
  cblas_sgemm(RowMajor, NoTrans, Trans, m, n, k, 1.0f, a, k, b, k, 0.0f, c, n);
  double one = now() - t0;
  int reps = (int)(seconds / 5 / (one > 1e-6 ? one : 1e-6));
  if (reps < 1) reps = 1;
  printf("{\"core\":\"%s\",\"config\":\"%s\",\"library\":\"%s\",\"m\":%d,\"n\":%d,\"k\":%d,\"gflops\":[",
         openblas_get_corename(), openblas_get_config(), info.dli_fname ? info.dli_fname : "", m, n, k);
  for (int chunk = 0; chunk < 5; chunk++) {
    t0 = now();
    for (int r = 0; r < reps; r++) cblas_sgemm(RowMajor, NoTrans, Trans, m, n, k, 1.0f, a, k, b, k, 0.0f, c, n);
    double dt = now() - t0;
    printf("%s%.2f", chunk ? "," : "", 2.0 * m * n * k * reps / dt / 1e9);
  }
  printf("],\"check\":%.6f}\n", (double)c[0] + c[(long)m * n - 1]);
  free(a);
  free(b);
  free(c);
  return 0;
}
