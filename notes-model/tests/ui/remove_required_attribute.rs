use notes_repo::Note;

fn main() {
    // `attachment` is an `Option`: an item without it reads as `None`.
    let _ = Note::ATTACHMENT.remove();
    // `createdAt` is required: an item without it could not be read as a `Note`.
    let _ = Note::CREATED_AT.remove();
}
