//! Vietnamese administrative-document reader: text in, documents and proposed tasks out.
//! Pure: no database, no network.
