/**
 * The web session's transcript, kept by the web worker for pages that connect later (or reload):
 * the console's output and commands so far, bounded; what was cut is said once at its top.
 */
import type { TranscriptEntry } from './page-protocol';

/** Characters of transcript kept for pages that connect later. Default 1,000,000. */
export const TRANSCRIPT_CHARS = 1_000_000;

/** A bounded transcript: the oldest entries go first. */
export class Transcript {
  private readonly entries: TranscriptEntry[] = [];
  private chars = 0;
  private cut = false;

  /** @param limit characters kept at most (the newest entry always stays); default {@link TRANSCRIPT_CHARS}. */
  constructor(private readonly limit = TRANSCRIPT_CHARS) {}

  /** Adds an entry, dropping the oldest ones past the limit. */
  append(entry: TranscriptEntry): void {
    this.entries.push(entry);
    this.chars += entry.text.length;
    while (this.chars > this.limit && this.entries.length > 1) {
      this.chars -= this.entries.shift()!.text.length;
      this.cut = true;
    }
  }

  /** What a page that connects now is sent: the entries kept, after a line saying that earlier ones are not. */
  forPage(): TranscriptEntry[] {
    return this.cut ? [{ kind: 'err', text: '[earlier output is not kept]\n' }, ...this.entries] : this.entries;
  }
}
