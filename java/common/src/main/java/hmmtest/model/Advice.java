package hmmtest.model;

/** The madvise advices the model knows. */
public enum Advice {
    DONTNEED,
    FREE,
    HUGEPAGE,
    NOHUGEPAGE
}
