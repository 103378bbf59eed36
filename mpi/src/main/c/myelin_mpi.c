/*
 * Myelin's thin JNI binding to Open MPI: the few collectives a distributed network needs (org.myelin.mpi.Mpi).
 * Built by the mpi module's Maven profile with mpicc when Open MPI's headers are installed (libopenmpi-dev).
 * Only the thread that called init may call the others (MPI_THREAD_FUNNELED is asked for).
 */
#include <jni.h>
#include <mpi.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

static void throw_mpi(JNIEnv *env, const char *what, int code) {
    char msg[MPI_MAX_ERROR_STRING + 128];
    char err[MPI_MAX_ERROR_STRING];
    int len = 0;
    err[0] = 0;
    MPI_Error_string(code, err, &len);
    snprintf(msg, sizeof msg, "MPI: %s failed: %s (code %d)", what, err, code);
    jclass c = (*env)->FindClass(env, "org/myelin/core/MyelinException");
    if (c != NULL) {
        (*env)->ThrowNew(env, c, msg);
    }
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void) vm;
    (void) reserved;
    /* Open MPI opens its components with dlopen; they need libmpi's symbols in the global namespace, which a
       library loaded by the JVM (RTLD_LOCAL) does not give them. */
    if (dlopen("libmpi.so.40", RTLD_NOW | RTLD_GLOBAL) == NULL) {
        dlopen("libmpi.so", RTLD_NOW | RTLD_GLOBAL);
    }
    return JNI_VERSION_1_8;
}

JNIEXPORT jint JNICALL Java_org_myelin_mpi_Mpi_initialize(JNIEnv *env, jclass cls) {
    (void) cls;
    int flag = 0;
    MPI_Initialized(&flag);
    if (flag) {
        return 1;
    }
    int provided = 0;
    int rc = MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
    if (rc != MPI_SUCCESS) {
        throw_mpi(env, "MPI_Init_thread", rc);
        return -1;
    }
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    return provided;
}

JNIEXPORT jint JNICALL Java_org_myelin_mpi_Mpi_rank(JNIEnv *env, jclass cls) {
    (void) cls;
    int r = -1;
    int rc = MPI_Comm_rank(MPI_COMM_WORLD, &r);
    if (rc != MPI_SUCCESS) {
        throw_mpi(env, "MPI_Comm_rank", rc);
    }
    return r;
}

JNIEXPORT jint JNICALL Java_org_myelin_mpi_Mpi_size(JNIEnv *env, jclass cls) {
    (void) cls;
    int s = -1;
    int rc = MPI_Comm_size(MPI_COMM_WORLD, &s);
    if (rc != MPI_SUCCESS) {
        throw_mpi(env, "MPI_Comm_size", rc);
    }
    return s;
}

/* All-gather of variable-length int blocks: returns the concatenation in rank order; lengths[r] = rank r's length. */
JNIEXPORT jintArray JNICALL Java_org_myelin_mpi_Mpi_allGather(JNIEnv *env, jclass cls, jintArray block, jint length,
                                                             jintArray lengths) {
    (void) cls;
    int size = 0;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int *counts = malloc(sizeof(int) * (size_t) size);
    int *displs = malloc(sizeof(int) * (size_t) size);
    if (counts == NULL || displs == NULL) {
        free(counts);
        free(displs);
        (*env)->ThrowNew(env, (*env)->FindClass(env, "java/lang/OutOfMemoryError"), "MPI allGather: counts");
        return NULL;
    }
    int mine = length;
    int rc = MPI_Allgather(&mine, 1, MPI_INT, counts, 1, MPI_INT, MPI_COMM_WORLD);
    if (rc != MPI_SUCCESS) {
        free(counts);
        free(displs);
        throw_mpi(env, "MPI_Allgather", rc);
        return NULL;
    }
    long total = 0;
    for (int r = 0; r < size; r++) {
        displs[r] = (int) total;
        total += counts[r];
    }
    if (total > 0x7ffffff0L) {
        free(counts);
        free(displs);
        (*env)->ThrowNew(env, (*env)->FindClass(env, "org/myelin/core/MyelinException"),
                         "MPI allGather: more than 2^31 ints in one exchange");
        return NULL;
    }
    jintArray out = (*env)->NewIntArray(env, (jsize) total);
    if (out == NULL) {
        free(counts);
        free(displs);
        return NULL;
    }
    jint *send = (*env)->GetPrimitiveArrayCritical(env, block, NULL);
    jint *recv = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    rc = MPI_Allgatherv(send, mine, MPI_INT, recv, counts, displs, MPI_INT, MPI_COMM_WORLD);
    (*env)->ReleasePrimitiveArrayCritical(env, out, recv, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, block, send, JNI_ABORT);
    (*env)->SetIntArrayRegion(env, lengths, 0, size, (const jint *) counts);
    free(counts);
    free(displs);
    if (rc != MPI_SUCCESS) {
        throw_mpi(env, "MPI_Allgatherv", rc);
        return NULL;
    }
    return out;
}

static jlongArray all_reduce(JNIEnv *env, jlongArray values, MPI_Op op, const char *what) {
    jsize n = (*env)->GetArrayLength(env, values);
    jlongArray out = (*env)->NewLongArray(env, n);
    if (out == NULL) {
        return NULL;
    }
    jlong *in = (*env)->GetLongArrayElements(env, values, NULL);
    jlong *res = (*env)->GetLongArrayElements(env, out, NULL);
    int rc = MPI_Allreduce(in, res, n, MPI_INT64_T, op, MPI_COMM_WORLD);
    (*env)->ReleaseLongArrayElements(env, out, res, 0);
    (*env)->ReleaseLongArrayElements(env, values, in, JNI_ABORT);
    if (rc != MPI_SUCCESS) {
        throw_mpi(env, what, rc);
        return NULL;
    }
    return out;
}

JNIEXPORT jlongArray JNICALL Java_org_myelin_mpi_Mpi_allReduceSum(JNIEnv *env, jclass cls, jlongArray values) {
    (void) cls;
    return all_reduce(env, values, MPI_SUM, "MPI_Allreduce(sum)");
}

JNIEXPORT jlongArray JNICALL Java_org_myelin_mpi_Mpi_allReduceMin(JNIEnv *env, jclass cls, jlongArray values) {
    (void) cls;
    return all_reduce(env, values, MPI_MIN, "MPI_Allreduce(min)");
}

JNIEXPORT jlongArray JNICALL Java_org_myelin_mpi_Mpi_allReduceMax(JNIEnv *env, jclass cls, jlongArray values) {
    (void) cls;
    return all_reduce(env, values, MPI_MAX, "MPI_Allreduce(max)");
}

JNIEXPORT void JNICALL Java_org_myelin_mpi_Mpi_barrier(JNIEnv *env, jclass cls) {
    (void) cls;
    int rc = MPI_Barrier(MPI_COMM_WORLD);
    if (rc != MPI_SUCCESS) {
        throw_mpi(env, "MPI_Barrier", rc);
    }
}

JNIEXPORT jstring JNICALL Java_org_myelin_mpi_Mpi_library(JNIEnv *env, jclass cls) {
    (void) cls;
    char version[MPI_MAX_LIBRARY_VERSION_STRING];
    int len = 0;
    MPI_Get_library_version(version, &len);
    return (*env)->NewStringUTF(env, version);
}

JNIEXPORT jstring JNICALL Java_org_myelin_mpi_Mpi_host(JNIEnv *env, jclass cls) {
    (void) cls;
    char name[MPI_MAX_PROCESSOR_NAME];
    int len = 0;
    MPI_Get_processor_name(name, &len);
    return (*env)->NewStringUTF(env, name);
}

JNIEXPORT void JNICALL Java_org_myelin_mpi_Mpi_finish(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    int flag = 0;
    MPI_Finalized(&flag);
    if (!flag) {
        MPI_Finalize();
    }
}

JNIEXPORT void JNICALL Java_org_myelin_mpi_Mpi_abort(JNIEnv *env, jclass cls, jint code) {
    (void) env;
    (void) cls;
    MPI_Abort(MPI_COMM_WORLD, code);
}
