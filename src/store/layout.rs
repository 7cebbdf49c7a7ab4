//! OCI image layout directories, read and written.
