//! Attachments: their metadata rows (`attachments`, through the one insert path) and the
//! contents they name (`blobs`, one row per distinct SHA-256, shared by every attachment and
//! thumbnail with the same bytes).
//!
//! A content goes in with `ON CONFLICT DO NOTHING` (both dialects): the same photo attached
//! twice, or by two writers at once, is stored once. Blobs are never deleted (attachments are
//! never deleted either).

use domain::Attachment;
use jiff::Timestamp;
use sha2::{Digest as _, Sha256};
use sqlx::{ColumnIndex, Executor, IntoArguments, QueryBuilder};
use store::{Blob, NewAttachment, StoreError};

use crate::inserts::{ATTACHMENTS, Insert};
use crate::{Args, Backend, Column, Conn, Instant, Row, SqlStore, failed};

/// Columns of `attachments`, in [`AttachmentRow`]'s order.
pub(crate) const ATTACHMENT_COLUMNS: &str =
    "id, ticket_id, message_id, file_name, content_type, size, sha256, thumbnail_sha256, created_at";

/// Most contents one statement inserts (a restore's batches): bounds the statement's size
/// (each content is up to the upload limit, 10 MiB by default).
const BLOBS_PER_STATEMENT: usize = 16;

/// One row of `attachments` ([`ATTACHMENT_COLUMNS`]).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct AttachmentRow {
    id: i64,
    ticket_id: i64,
    message_id: Option<i64>,
    file_name: String,
    content_type: String,
    size: i64,
    sha256: String,
    thumbnail_sha256: Option<String>,
    created_at: Instant,
}

impl From<AttachmentRow> for Attachment {
    fn from(row: AttachmentRow) -> Self {
        Attachment {
            id: row.id,
            ticket_id: row.ticket_id,
            message_id: row.message_id,
            file_name: row.file_name,
            content_type: row.content_type,
            size: row.size,
            sha256: row.sha256,
            thumbnail_sha256: row.thumbnail_sha256,
            created_at: row.created_at.0,
        }
    }
}

/// The SHA-256 of `bytes`, lower-case hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// `attachments` grouped by ticket, each group in the given order: for the change feed.
pub(crate) fn by_ticket(attachments: Vec<Attachment>) -> std::collections::HashMap<i64, Vec<Attachment>> {
    let mut grouped: std::collections::HashMap<i64, Vec<Attachment>> = std::collections::HashMap::new();
    for attachment in attachments {
        grouped.entry(attachment.ticket_id).or_default().push(attachment);
    }
    grouped
}

impl<B> SqlStore<B>
where
    B: Backend,
    for<'c> &'c mut Conn<B>: Executor<'c, Database = B::Db>,
    Args<B>: IntoArguments<B::Db>,
    for<'a> &'a str: ColumnIndex<Row<B>>,
    usize: ColumnIndex<Row<B>>,
    i64: Column<B::Db>,
    f64: Column<B::Db>,
    bool: Column<B::Db>,
    String: Column<B::Db>,
    Option<String>: Column<B::Db>,
    Instant: Column<B::Db>,
    Option<Instant>: Column<B::Db>,
    Option<i64>: Column<B::Db>,
    Vec<u8>: Column<B::Db>,
{
    /// Stores `attachments` of ticket `ticket_id` (and message `message_id`, if any) at `now`:
    /// their contents and thumbnails once each, then their rows. Returns the records in the
    /// order given.
    pub(crate) async fn insert_attachments(
        conn: &mut Conn<B>,
        ticket_id: i64,
        message_id: Option<i64>,
        attachments: Vec<NewAttachment>,
        now: Timestamp,
    ) -> Result<Vec<Attachment>, StoreError> {
        if attachments.is_empty() {
            return Ok(Vec::new());
        }
        let mut blobs = Vec::new();
        let mut records = Vec::with_capacity(attachments.len());
        for new in attachments {
            let sha256 = sha256_hex(&new.bytes);
            let thumbnail_sha256 = new.thumbnail.as_deref().map(sha256_hex);
            records.push(Attachment {
                id: 0,
                ticket_id,
                message_id,
                file_name: new.file_name,
                content_type: new.content_type,
                size: i64::try_from(new.bytes.len()).unwrap_or(i64::MAX),
                sha256: sha256.clone(),
                thumbnail_sha256: thumbnail_sha256.clone(),
                created_at: now,
            });
            blobs.push(Blob { sha256, bytes: new.bytes });
            if let (Some(sha256), Some(bytes)) = (thumbnail_sha256, new.thumbnail) {
                blobs.push(Blob { sha256, bytes });
            }
        }
        Self::insert_blobs(conn, blobs).await?;
        let rows = records.iter().map(|a| Insert::attachment(a, false)).collect();
        let ids = Self::insert_rows(conn, &ATTACHMENTS, rows).await?;
        for (record, id) in records.iter_mut().zip(ids) {
            record.id = id;
        }
        Ok(records)
    }

    /// Stores each content unless one with its digest is stored already.
    pub(crate) async fn insert_blobs(conn: &mut Conn<B>, blobs: Vec<Blob>) -> Result<(), StoreError> {
        let mut blobs = blobs.into_iter().peekable();
        while blobs.peek().is_some() {
            let mut sql = QueryBuilder::<B::Db>::new("INSERT INTO blobs (sha256, bytes) ");
            sql.push_values(blobs.by_ref().take(BLOBS_PER_STATEMENT), |mut row, blob| {
                row.push_bind(blob.sha256).push_bind(blob.bytes);
            });
            sql.push(" ON CONFLICT (sha256) DO NOTHING");
            sql.build().execute(&mut *conn).await.map_err(failed::<B>("store an attachment's content"))?;
        }
        Ok(())
    }

    /// The attachments of ticket `ticket_id` (oldest first); with `None`, every attachment.
    pub(crate) async fn read_attachments(
        conn: &mut Conn<B>,
        ticket_id: Option<i64>,
    ) -> Result<Vec<Attachment>, StoreError> {
        let rows = match ticket_id {
            Some(id) => sqlx::query_as::<_, AttachmentRow>(sqlx::AssertSqlSafe(format!(
                "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE ticket_id = $1 ORDER BY id"
            )))
            .bind(id),
            None => sqlx::query_as::<_, AttachmentRow>(sqlx::AssertSqlSafe(format!(
                "SELECT {ATTACHMENT_COLUMNS} FROM attachments ORDER BY id"
            ))),
        }
        .fetch_all(&mut *conn)
        .await
        .map_err(failed::<B>("read attachments"))?;
        Ok(rows.into_iter().map(Attachment::from).collect())
    }

    /// The attachments of the tickets `ticket_ids` (oldest first).
    pub(crate) async fn read_attachments_of(
        conn: &mut Conn<B>,
        ticket_ids: &[i64],
    ) -> Result<Vec<Attachment>, StoreError> {
        if ticket_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = QueryBuilder::<B::Db>::new(format!(
            "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE ticket_id IN ("
        ));
        let mut ids = sql.separated(", ");
        for id in ticket_ids {
            ids.push_bind(*id);
        }
        sql.push(") ORDER BY id");
        let rows = sql
            .build_query_as::<AttachmentRow>()
            .fetch_all(&mut *conn)
            .await
            .map_err(failed::<B>("read the change feed's attachments"))?;
        Ok(rows.into_iter().map(Attachment::from).collect())
    }

    /// The attachment with id `id`.
    pub(crate) async fn read_attachment(
        conn: &mut Conn<B>,
        id: i64,
    ) -> Result<Option<Attachment>, StoreError> {
        let row = sqlx::query_as::<_, AttachmentRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(failed::<B>("read an attachment"))?;
        Ok(row.map(Attachment::from))
    }

    /// The content with this digest.
    pub(crate) async fn read_blob(conn: &mut Conn<B>, sha256: &str) -> Result<Option<Vec<u8>>, StoreError> {
        sqlx::query_scalar::<_, Vec<u8>>("SELECT bytes FROM blobs WHERE sha256 = $1")
            .bind(sha256.to_owned())
            .fetch_optional(&mut *conn)
            .await
            .map_err(failed::<B>("read an attachment's content"))
    }

    /// Every stored content, ascending by digest (an export).
    pub(crate) async fn read_blobs(conn: &mut Conn<B>) -> Result<Vec<Blob>, StoreError> {
        let rows = sqlx::query_as::<_, (String, Vec<u8>)>("SELECT sha256, bytes FROM blobs ORDER BY sha256")
            .fetch_all(&mut *conn)
            .await
            .map_err(failed::<B>("export attachments' contents"))?;
        Ok(rows.into_iter().map(|(sha256, bytes)| Blob { sha256, bytes }).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_lower_case_hex() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
