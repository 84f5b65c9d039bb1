use notes_repo::Note;

fn main() {
    // `Note::new` makes a UUID v7 note id: it needs the `uuid` feature.
    let _ = Note::new("u1", "buy milk");
}
