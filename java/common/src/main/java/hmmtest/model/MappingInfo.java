package hmmtest.model;

/**
 * What a mapping slot holds: its backing kind, its shmem/memfd object and, for a device-file
 * mapping, the mirror whose file it keeps open.
 */
record MappingInfo(int id, MapKind kind, int object, int deviceFd) {}
