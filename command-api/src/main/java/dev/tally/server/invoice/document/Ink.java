package dev.tally.server.invoice.document;

/** An RGB colour, kept apart from {@code java.awt.Color} so that writing a PDF never loads AWT on a server. */
record Ink(float red, float green, float blue) {

    static final Ink TEXT = rgb(0x1F, 0x29, 0x37);
    static final Ink MUTED = rgb(0x6B, 0x72, 0x80);
    static final Ink RULE = rgb(0xE5, 0xE7, 0xEB);
    static final Ink STRONG_RULE = rgb(0x9C, 0xA3, 0xAF);
    static final Ink BAND = rgb(0xF3, 0xF4, 0xF6);
    static final Ink ACCENT = rgb(0x1E, 0x3A, 0x8A);
    static final Ink PAID = rgb(0x04, 0x78, 0x57);
    static final Ink VOID = rgb(0xB9, 0x1C, 0x1C);
    static final Ink VOID_WATERMARK = rgb(0xFC, 0xE8, 0xE8);
    static final Ink WHITE = rgb(0xFF, 0xFF, 0xFF);

    private static Ink rgb(int red, int green, int blue) {
        return new Ink(red / 255f, green / 255f, blue / 255f);
    }
}
