package trailhound.samples;

/** The kinds of background activity a simulated process performs, each one event. */
enum Kind {
    FILE_CREATE, FILE_DELETE, FILE_RENAME, REG_SET, REG_CREATE, IMAGE_LOAD, CONNECT, ACCEPT, DNS, DRIVER_LOAD, LOGON
}
