/**
 * The test_hmm driver's userspace interface, defined once for all Java code: ioctl numbers and
 * command block ({@link hmmtest.uapi.Command}), ABI generations, errno values and SNAPSHOT bytes.
 * The suite's JNA bindings, the fuzzer's executor, the reference model and the C reproducer writer
 * all use these; C code uses {@code native/include/hmm_dmirror_uapi.h}.
 */
package hmmtest.uapi;
