/* The bitsliced, fixsliced AES round functions, generic over the word that
 * holds a bit plane: included by aes_ct64.c with CT_W = u64 (four blocks
 * per pass; twice, the second time compiled for BMI2) and by xts_ct256.c
 * with CT_W = four u64 lanes in one 256-bit vector (sixteen blocks per
 * pass, each lane an independent ct64 state). Every
 * operation below is lane-wise (XOR, AND, NOT, shifts and rotations inside
 * 64 bits), so the same circuit serves both; a scalar round-key word is
 * XORed into every lane. Before including, define CT_W (the plane type)
 * and CT_FN(name) (a suffix per instance). No secret-dependent branch or
 * table index anywhere. */
static inline __attribute__((always_inline)) CT_W CT_FN(rotr64)(CT_W x, int n)
{
	return (x >> n) | (x << (64 - n));
}

/* The S-box as a circuit of 113 XOR/AND/XNOR gates: J. Boyar and R. Peralta,
 * "A new combinational logic minimization technique with applications to
 * cryptology", SEA 2010 (top linear layer, GF(2^4)-tower inversion, bottom
 * linear layer). U0 is the most significant bit of the input byte. */
#ifndef CT_INLINE
#define CT_INLINE static inline __attribute__((always_inline))
#endif
/* Every loop over the eight planes (or four slots) carries an unroll
 * pragma: at -O2 GCC keeps such loops rolled, and a rolled loop indexes
 * the plane array with a variable, which forces the whole state through
 * memory (measured: 24 -> 12 TSC cycles/byte with the pragmas). */

/* The circuit's non-linear middle, shared by the S-box and the fused
 * inverse below: from the top layer's signals T[1..27] (Boyar-Peralta's
 * names; T[0] is their U7) to the bottom layer's inputs M[46..63]. The
 * arrays are indexed by constants only, so after inlining they are
 * registers like the planes. */
CT_INLINE void CT_FN(sbox_middle)(const CT_W T[28], CT_W M[64])
{
	/* shared non-linear middle: inversion in GF(2^8) */
	CT_W M1 = T[13] & T[6], M2 = T[23] & T[8], M3 = T[14] ^ M1, M4 = T[19] & T[0];
	CT_W M5 = M4 ^ M1, M6 = T[3] & T[16], M7 = T[22] & T[9], M8 = T[26] ^ M6;
	CT_W M9 = T[20] & T[17], M10 = M9 ^ M6, M11 = T[1] & T[15], M12 = T[4] & T[27];
	CT_W M13 = M12 ^ M11, M14 = T[2] & T[10], M15 = M14 ^ M11, M16 = M3 ^ M2;
	CT_W M17 = M5 ^ T[24], M18 = M8 ^ M7, M19 = M10 ^ M15, M20 = M16 ^ M13;
	CT_W M21 = M17 ^ M15, M22 = M18 ^ M13, M23 = M19 ^ T[25], M24 = M22 ^ M23;
	CT_W M25 = M22 & M20, M26 = M21 ^ M25, M27 = M20 ^ M21, M28 = M23 ^ M25;
	CT_W M29 = M28 & M27, M30 = M26 & M24, M31 = M20 & M23, M32 = M27 & M31;
	CT_W M33 = M27 ^ M25, M34 = M21 & M22, M35 = M24 & M34, M36 = M24 ^ M25;
	CT_W M37 = M21 ^ M29, M38 = M32 ^ M33, M39 = M23 ^ M30, M40 = M35 ^ M36;
	CT_W M41 = M38 ^ M40, M42 = M37 ^ M39, M43 = M37 ^ M38, M44 = M39 ^ M40;
	CT_W M45 = M42 ^ M41;
	M[46] = M44 & T[6]; M[47] = M40 & T[8]; M[48] = M39 & T[0];
	M[49] = M43 & T[16]; M[50] = M38 & T[9]; M[51] = M37 & T[17]; M[52] = M42 & T[15];
	M[53] = M45 & T[27]; M[54] = M41 & T[10]; M[55] = M44 & T[13]; M[56] = M40 & T[23];
	M[57] = M39 & T[19]; M[58] = M43 & T[3]; M[59] = M38 & T[22]; M[60] = M37 & T[20];
	M[61] = M42 & T[1]; M[62] = M45 & T[4]; M[63] = M41 & T[2];
}

/* 0x63 in every byte, the S-box's affine constant (FIPS-197 5.1.1): planes
 * 0, 1, 5 and 6 complemented (the XNORs of the published circuit). The
 * rounds leave it out and find it folded into round keys 1..Nr instead
 * (aes_ct64_set_key): in Cipher, ShiftRows only permutes a constant and
 * MixColumns keeps a constant column (2^3^1^1 = 1), so the key's 0x63
 * completes S at AddRoundKey; in InvCipher every InvSubBytes input then
 * carries an extra 0x63 (from K_Nr, and from K_r through InvMixColumns,
 * 0e^0b^0d^09 = 1), which is exactly the complement inv_sbox_circuit
 * applies first, and K_0 carries none. Four NOTs fewer a round. */
CT_INLINE void CT_FN(xor_0x63)(CT_W q[8])
{
	q[0] = ~q[0];
	q[1] = ~q[1];
	q[5] = ~q[5];
	q[6] = ~q[6];
}

/* Inlined into the round loops so the eight planes and the circuit's
 * temporaries stay in registers (a call per S-box layer forced the planes
 * through memory and limited register allocation to one layer). */
CT_INLINE void CT_FN(sbox_without_0x63)(CT_W q[8])
{
	CT_W U0 = q[7], U1 = q[6], U2 = q[5], U3 = q[4];
	CT_W U4 = q[3], U5 = q[2], U6 = q[1], U7 = q[0];

	/* top linear transform */
	CT_W T1 = U0 ^ U3, T2 = U0 ^ U5, T3 = U0 ^ U6, T4 = U3 ^ U5;
	CT_W T5 = U4 ^ U6, T6 = T1 ^ T5, T7 = U1 ^ U2, T8 = U7 ^ T6;
	CT_W T9 = U7 ^ T7, T10 = T6 ^ T7, T11 = U1 ^ U5, T12 = U2 ^ U5;
	CT_W T13 = T3 ^ T4, T14 = T6 ^ T11, T15 = T5 ^ T11, T16 = T5 ^ T12;
	CT_W T17 = T9 ^ T16, T18 = U3 ^ U7, T19 = T7 ^ T18, T20 = T1 ^ T19;
	CT_W T21 = U6 ^ U7, T22 = T7 ^ T21, T23 = T2 ^ T22, T24 = T2 ^ T10;
	CT_W T25 = T20 ^ T17, T26 = T3 ^ T16, T27 = T1 ^ T12;

	CT_W T[28] = { U7, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13,
		       T14, T15, T16, T17, T18, T19, T20, T21, T22, T23, T24, T25, T26, T27 };
	CT_W M[64];
	CT_FN(sbox_middle)(T, M);

	/* bottom linear transform (the affine constant 0x63 is xor_0x63's) */
	CT_W L0 = M[61] ^ M[62], L1 = M[50] ^ M[56], L2 = M[46] ^ M[48], L3 = M[47] ^ M[55];
	CT_W L4 = M[54] ^ M[58], L5 = M[49] ^ M[61], L6 = M[62] ^ L5, L7 = M[46] ^ L3;
	CT_W L8 = M[51] ^ M[59], L9 = M[52] ^ M[53], L10 = M[53] ^ L4, L11 = M[60] ^ L2;
	CT_W L12 = M[48] ^ M[51], L13 = M[50] ^ L0, L14 = M[52] ^ M[61], L15 = M[55] ^ L1;
	CT_W L16 = M[56] ^ L0, L17 = M[57] ^ L1, L18 = M[58] ^ L8, L19 = M[63] ^ L4;
	CT_W L20 = L0 ^ L1, L21 = L1 ^ L7, L22 = L3 ^ L12, L23 = L18 ^ L2;
	CT_W L24 = L15 ^ L9, L25 = L6 ^ L10, L26 = L7 ^ L9, L27 = L8 ^ L10;
	CT_W L28 = L11 ^ L14, L29 = L11 ^ L17;

	q[7] = L6 ^ L24;
	q[6] = L16 ^ L26;
	q[5] = L19 ^ L28;
	q[4] = L6 ^ L21;
	q[3] = L20 ^ L22;
	q[2] = L25 ^ L29;
	q[1] = L13 ^ L27;
	q[0] = L6 ^ L23;
}

/* S itself (the key schedule's SubWord). */
CT_INLINE void CT_FN(sbox_circuit)(CT_W q[8])
{
	CT_FN(sbox_without_0x63)(q);
	CT_FN(xor_0x63)(q);
}

/* The inverse S-box (FIPS-197 5.3.2): InvS(y) = A^-1(S(A^-1(y))), where
 * A^-1(b) = (b <<< 1) ^ (b <<< 3) ^ (b <<< 6) ^ 0x05 is the inverse of the
 * S-box's affine map. Both of its A^-1 are linear (after complementing y by
 * 0x63, since A^-1's linear part maps 0x63 to 0x05; A^-1 of S's own 0x63 is
 * 0), so each is fused with the circuit's linear layer next to it and only
 * the non-linear middle is shared: 31 + 35 XORs and 4 NOTs where the two
 * A^-1 around the forward circuit took 36 operations more (scripts/
 * gen-inv-sbox derives the XOR programs from the forward circuit above;
 * unit test aes_ct.inverse_sbox_all_bytes checks all 256 bytes). */
CT_INLINE void CT_FN(inv_sbox_after_0x63)(CT_W q[8])
{
	CT_W y0 = q[0], y1 = q[1], y2 = q[2], y3 = q[3];
	CT_W y4 = q[4], y5 = q[5], y6 = q[6], y7 = q[7];
	CT_W T[28], M[64];

	/* generated by scripts/gen-inv-sbox: 31 XORs for the top, 35 for the bottom */
	CT_W a0 = y0 ^ y6;
	CT_W a1 = y1 ^ a0;
	CT_W a2 = y3 ^ y4;
	CT_W a3 = y2 ^ y7;
	CT_W a4 = y4 ^ y5;
	CT_W a5 = y6 ^ y7;
	CT_W a6 = y0 ^ a2;
	CT_W a7 = y3 ^ a1;
	CT_W a8 = y4 ^ a1;
	CT_W a9 = y0 ^ y3;
	CT_W a10 = y1 ^ y2;
	CT_W a11 = y1 ^ y3;
	CT_W a12 = y1 ^ a6;
	CT_W a13 = y2 ^ y6;
	CT_W a14 = y3 ^ y7;
	CT_W a15 = y4 ^ y6;
	CT_W a16 = y4 ^ y7;
	CT_W a17 = y4 ^ a5;
	CT_W a18 = y5 ^ y6;
	CT_W a19 = y5 ^ a2;
	CT_W a20 = y5 ^ a3;
	CT_W a21 = y7 ^ a1;
	CT_W a22 = a0 ^ a4;
	CT_W a23 = a0 ^ a14;
	CT_W a24 = a1 ^ a4;
	CT_W a25 = a2 ^ a5;
	CT_W a26 = a2 ^ a10;
	CT_W a27 = a3 ^ a7;
	CT_W a28 = a3 ^ a8;
	CT_W a29 = a4 ^ a13;
	CT_W a30 = a11 ^ a18;
	T[0] = a20;
	T[1] = a2;
	T[2] = a5;
	T[3] = a12;
	T[4] = a25;
	T[6] = a29;
	T[8] = a17;
	T[9] = a6;
	T[10] = a23;
	T[13] = a21;
	T[14] = a27;
	T[15] = a28;
	T[16] = a30;
	T[17] = a24;
	T[19] = a8;
	T[20] = a7;
	T[22] = a15;
	T[23] = a16;
	T[24] = a9;
	T[25] = a19;
	T[26] = a22;
	T[27] = a26;
	CT_FN(sbox_middle)(T, M);
	CT_W b0 = M[52] ^ M[61];
	CT_W b1 = M[58] ^ b0;
	CT_W b2 = M[59] ^ b1;
	CT_W b3 = M[54] ^ M[62];
	CT_W b4 = M[46] ^ b2;
	CT_W b5 = M[47] ^ M[50];
	CT_W b6 = M[48] ^ M[56];
	CT_W b7 = M[49] ^ M[60];
	CT_W b8 = M[49] ^ b2;
	CT_W b9 = M[50] ^ M[53];
	CT_W b10 = M[51] ^ b3;
	CT_W b11 = M[55] ^ M[63];
	CT_W b12 = M[57] ^ b6;
	CT_W b13 = b5 ^ b7;
	CT_W b14 = M[48] ^ b3;
	CT_W b15 = M[51] ^ M[63];
	CT_W b16 = M[54] ^ M[59];
	CT_W b17 = M[57] ^ M[61];
	CT_W b18 = M[62] ^ b8;
	CT_W b19 = b0 ^ b6;
	CT_W b20 = b1 ^ b3;
	CT_W b21 = b4 ^ b5;
	CT_W b22 = b4 ^ b9;
	CT_W b23 = b4 ^ b14;
	CT_W b24 = b8 ^ b10;
	CT_W b25 = b9 ^ b18;
	CT_W b26 = b10 ^ b21;
	CT_W b27 = b11 ^ b13;
	CT_W b28 = b11 ^ b17;
	CT_W b29 = b12 ^ b13;
	CT_W b30 = b12 ^ b15;
	CT_W b31 = b16 ^ b19;
	CT_W b32 = b20 ^ b29;
	CT_W b33 = b22 ^ b30;
	CT_W b34 = b27 ^ b31;
	q[0] = b28;
	q[1] = b25;
	q[2] = b26;
	q[3] = b33;
	q[4] = b23;
	q[5] = b32;
	q[6] = b34;
	q[7] = b24;
}

/* InvS itself: y ^ 0x63 first (the rounds get that from their keys). */
CT_INLINE void CT_FN(inv_sbox_circuit)(CT_W q[8])
{
	CT_FN(xor_0x63)(q);
	CT_FN(inv_sbox_after_0x63)(q);
}

CT_INLINE void CT_FN(add_round_key)(CT_W q[8], const u64 *sk)
{
	_Pragma("GCC unroll 8")
	for (int i = 0; i < 8; i++)
		q[i] ^= sk[i];
}

/* FIPS-197 5.1.2: row r rotates left by r columns, i.e. its nibbles rotate
 * right by 4r bits inside the row's 16-bit lane. Done as two per-lane
 * rotations picked by the bits of r (why: 13 operations per plane instead
 * of 19 for seven masked shifts): rows 1 and 3 rotate by 4, then rows 2
 * and 3 rotate by 8, which swaps the lane's two bytes (a delta swap). */
#ifndef LANES_0_2
#define LANES_0_2   0x0000FFFF0000FFFFULL
#define LANES_1_3_R 0x0FFF00000FFF0000ULL   /* rows 1, 3: bits that move right 4 */
#define LANES_1_3_W 0xF0000000F0000000ULL   /* rows 1, 3: nibble that wraps */
#define LANES_2_3_LO 0x00FF00FF00000000ULL  /* rows 2, 3: low bytes */
#endif

CT_INLINE CT_W CT_FN(swap_bytes_rows23)(CT_W x)
{
	CT_W t = (x ^ (x >> 8)) & LANES_2_3_LO;
	return x ^ t ^ (t << 8);
}

CT_INLINE void CT_FN(shift_rows)(CT_W q[8])
{
	_Pragma("GCC unroll 8")
	for (int i = 0; i < 8; i++) {
		CT_W x = q[i];
		x = (x & LANES_0_2) | ((x >> 4) & LANES_1_3_R) | ((x << 12) & LANES_1_3_W);
		q[i] = CT_FN(swap_bytes_rows23)(x);
	}
}

/* FIPS-197 5.3.1: the same two rotations the other way round. */
CT_INLINE void CT_FN(inv_shift_rows)(CT_W q[8])
{
	_Pragma("GCC unroll 8")
	for (int i = 0; i < 8; i++) {
		CT_W x = q[i];
		x = (x & LANES_0_2) | ((x << 4) & (LANES_1_3_R << 4)) | ((x >> 12) & (LANES_1_3_W >> 12));
		q[i] = CT_FN(swap_bytes_rows23)(x);
	}
}

/* Multiply every byte by x in GF(2^8) mod x^8+x^4+x^3+x+1 (FIPS-197 4.2.1). */
CT_INLINE void CT_FN(xtime)(CT_W out[8], const CT_W in[8])
{
	CT_W hi = in[7];
	out[7] = in[6];
	out[6] = in[5];
	out[5] = in[4];
	out[4] = in[3] ^ hi;
	out[3] = in[2] ^ hi;
	out[2] = in[1];
	out[1] = in[0] ^ hi;
	out[0] = hi;
}

/* Fixslicing (after Adomnicai and Peyrin, "Fixslicing AES-like ciphers",
 * TCHES 2021/1; our own derivation for this layout): the rounds never run
 * ShiftRows. Write P for ShiftRows on the planes, P^m(T)(r, c) =
 * T(r, c + m*r) (FIPS-197 5.1.2). After m skipped ShiftRows the stored
 * planes T and the true state S are related by S = P^m(T), so true column c
 * is stored at (r, c + k*r), k = m mod 4:
 *   - SubBytes is byte-wise, so it does not care;
 *   - MixColumns in the stored frame takes "the next row" from (r+1, c+k)
 *     instead of (r+1, c): rotate_cells(x, 1, k) instead of a rotation;
 *   - the round key of round r is stored as P^-r(K_r) (set by the key
 *     schedule), so AddRoundKey stays a plain XOR;
 *   - one P^(rounds mod 4) at the end of Cipher (and its inverse at the
 *     start of InvCipher) puts the state back in the true frame.
 * Decryption meets the same k = r mod 4 in round r when it starts from
 * P^-rounds(T). Why: ShiftRows was 104 of the 268 operations of a round;
 * the frame-shifted rotations cost 0, 32 or 64 operations a round instead,
 * 40 on average. */

/* result(r, c) = x(r + dr, c + dc), rows and columns mod 4 (dr 1..2): for
 * dc = 0 a rotation by whole rows; otherwise the columns that wrap inside
 * their row come from a rotation one row shorter, picked by mask. */
CT_INLINE CT_W CT_FN(rotate_cells)(CT_W x, int dr, int dc)
{
	if (dc == 0)
		return CT_FN(rotr64)(x, 16 * dr);
	CT_W stay = CT_FN(rotr64)(x, 16 * dr + 4 * dc);
	CT_W wrap = CT_FN(rotr64)(x, 16 * dr + 4 * dc - 16);
	const u64 stay_mask = dc == 1 ? 0x0FFF0FFF0FFF0FFFULL :
			      dc == 2 ? 0x00FF00FF00FF00FFULL : 0x000F000F000F000FULL;
	return wrap ^ ((stay ^ wrap) & stay_mask);
}

/* FIPS-197 5.1.3 in the frame k: s'_r = 2*s_r ^ 3*s_(r+1) ^ s_(r+2) ^ s_(r+3)
 *                                   = 2*d ^ s_(r+1) ^ (d two rows on),
 * d = s_r ^ s_(r+1), where "the next row" of the same true column is
 * rotate_cells(., 1, k) and "two rows on" rotate_cells(., 2, 2k). */
CT_INLINE void CT_FN(mix_columns_k)(CT_W q[8], int k)
{
	CT_W next[8], d[8], d2[8];
	_Pragma("GCC unroll 8")
	for (int i = 0; i < 8; i++) {
		next[i] = CT_FN(rotate_cells)(q[i], 1, k);
		d[i] = q[i] ^ next[i];
	}
	CT_FN(xtime)(d2, d);
	_Pragma("GCC unroll 8")
	for (int i = 0; i < 8; i++)
		q[i] = d2[i] ^ next[i] ^ CT_FN(rotate_cells)(d[i], 2, (2 * k) & 3);
}

/* FIPS-197 5.3.3 InvMixColumns factors as MixColumns after the circulant
 * (05 00 04 00): s_r ^= 4*(s_r ^ s_(r+2)), which is cheap here. */
CT_INLINE void CT_FN(inv_mix_columns_k)(CT_W q[8], int k)
{
	CT_W t[8], t2[8], t4[8];
	_Pragma("GCC unroll 8")
	for (int i = 0; i < 8; i++)
		t[i] = q[i] ^ CT_FN(rotate_cells)(q[i], 2, (2 * k) & 3);
	CT_FN(xtime)(t2, t);
	CT_FN(xtime)(t4, t2);
	_Pragma("GCC unroll 8")
	for (int i = 0; i < 8; i++)
		q[i] ^= t4[i];
	CT_FN(mix_columns_k)(q, k);
}

/* P^2: rows 1 and 3 move two columns, i.e. the two bytes of their lanes
 * swap; row 2 moves four, i.e. stays (a delta swap, 5 operations). */
#ifndef LANES_1_3_LO
#define LANES_1_3_LO 0x00FF000000FF0000ULL
#endif
CT_INLINE void CT_FN(shift_rows_twice)(CT_W q[8])
{
	_Pragma("GCC unroll 8")
	for (int i = 0; i < 8; i++) {
		CT_W t = (q[i] ^ (q[i] >> 8)) & LANES_1_3_LO;
		q[i] ^= t ^ (t << 8);
	}
}

/* P^n for n mod 4: the frame corrections at the ends of the ciphers and
 * the key schedule's P^-r. */
CT_INLINE void CT_FN(shift_rows_pow)(CT_W q[8], int n)
{
	switch (n & 3) {
	case 1:
		CT_FN(shift_rows)(q);
		break;
	case 2:
		CT_FN(shift_rows_twice)(q);
		break;
	case 3:
		CT_FN(inv_shift_rows)(q);
		break;
	}
}

/* One round of Cipher in frame k (SubBytes, MixColumns, AddRoundKey). */
CT_INLINE void CT_FN(round_k)(CT_W q[8], const u64 *sk, int k)
{
	CT_FN(sbox_without_0x63)(q);
	CT_FN(mix_columns_k)(q, k);
	CT_FN(add_round_key)(q, sk);
}

/* One round of InvCipher in frame k (InvSubBytes, AddRoundKey,
 * InvMixColumns). */
CT_INLINE void CT_FN(inv_round_k)(CT_W q[8], const u64 *sk, int k)
{
	CT_FN(inv_sbox_after_0x63)(q);
	CT_FN(add_round_key)(q, sk);
	CT_FN(inv_mix_columns_k)(q, k);
}

/* The planes live in a local array that is only ever indexed by constants
 * after inlining, so the compiler keeps it in registers. Round r runs in
 * frame r mod 4: the rounds are unrolled four at a time so that every frame
 * is a constant, and a rounds count that is not 1 mod 4 ends in single
 * rounds. encrypt_rounds leaves the state in frame rounds mod 4 (the true
 * state is P^rounds of it) and decrypt_rounds starts from that frame, so a
 * caller that can fold P^rounds into its own packing (aes_ct64.c's PDEP
 * packing) skips it; encrypt and decrypt apply it themselves. */
CT_INLINE void CT_FN(encrypt_rounds)(const struct aes_ct64_key *k, int rounds, CT_W q[8])
{
	int r = 1;
	CT_FN(add_round_key)(q, &k->sk[0]);
	for (; r + 4 <= rounds; r += 4) {
		CT_FN(round_k)(q, &k->sk[8 * r], 1);
		CT_FN(round_k)(q, &k->sk[8 * (r + 1)], 2);
		CT_FN(round_k)(q, &k->sk[8 * (r + 2)], 3);
		CT_FN(round_k)(q, &k->sk[8 * (r + 3)], 0);
	}
	for (; r < rounds; r++) {
		switch (r & 3) {
		case 0: CT_FN(round_k)(q, &k->sk[8 * r], 0); break;
		case 1: CT_FN(round_k)(q, &k->sk[8 * r], 1); break;
		case 2: CT_FN(round_k)(q, &k->sk[8 * r], 2); break;
		default: CT_FN(round_k)(q, &k->sk[8 * r], 3); break;
		}
	}
	CT_FN(sbox_without_0x63)(q);
	CT_FN(add_round_key)(q, &k->sk[8 * rounds]);
}

CT_INLINE void CT_FN(decrypt_rounds)(const struct aes_ct64_key *k, int rounds, CT_W q[8])
{
	int r = rounds - 1;
	CT_FN(add_round_key)(q, &k->sk[8 * rounds]);
	for (; r & 3; r--) {
		switch (r & 3) {
		case 1: CT_FN(inv_round_k)(q, &k->sk[8 * r], 1); break;
		case 2: CT_FN(inv_round_k)(q, &k->sk[8 * r], 2); break;
		default: CT_FN(inv_round_k)(q, &k->sk[8 * r], 3); break;
		}
	}
	for (; r > 0; r -= 4) {
		CT_FN(inv_round_k)(q, &k->sk[8 * r], 0);
		CT_FN(inv_round_k)(q, &k->sk[8 * (r - 1)], 3);
		CT_FN(inv_round_k)(q, &k->sk[8 * (r - 2)], 2);
		CT_FN(inv_round_k)(q, &k->sk[8 * (r - 3)], 1);
	}
	CT_FN(inv_sbox_after_0x63)(q);
	CT_FN(add_round_key)(q, &k->sk[0]);
}

CT_INLINE void CT_FN(encrypt)(const struct aes_ct64_key *k, int rounds, CT_W io[8])
{
	CT_W q[8];
	_Pragma("GCC unroll 8")
	for (int i = 0; i < 8; i++)
		q[i] = io[i];
	CT_FN(encrypt_rounds)(k, rounds, q);
	CT_FN(shift_rows_pow)(q, rounds);
	_Pragma("GCC unroll 8")
	for (int i = 0; i < 8; i++)
		io[i] = q[i];
}

CT_INLINE void CT_FN(decrypt)(const struct aes_ct64_key *k, int rounds, CT_W io[8])
{
	CT_W q[8];
	_Pragma("GCC unroll 8")
	for (int i = 0; i < 8; i++)
		q[i] = io[i];
	CT_FN(shift_rows_pow)(q, -rounds);
	CT_FN(decrypt_rounds)(k, rounds, q);
	_Pragma("GCC unroll 8")
	for (int i = 0; i < 8; i++)
		io[i] = q[i];
}

/* Packing: eight little-endian 64-bit words (block s = words 2s, 2s+1)
 * <-> eight bit planes, per lane. Word k = 4*(column & 1) + slot holds, in
 * byte 2*row + (column >> 1), the state byte (row, column) of that slot;
 * after the transpose, plane i has that byte's bit i at 8*byte + k =
 * 16*row + 4*column + slot. Columns 0, 2 are the low halves of the block's
 * two words, columns 1, 3 the high halves, so the words are spread as they
 * are. */

#ifndef BYTES_EVEN
#define BYTES_EVEN 0x00FF00FF00FF00FFULL   /* bytes 0, 2, 4, 6 of a word */
#endif

/* Byte r of the low 32 bits goes to byte 2r. */
CT_INLINE CT_W CT_FN(spread_bytes)(CT_W x)
{
	x &= 0x00000000FFFFFFFFULL;
	x = (x | (x << 16)) & 0x0000FFFF0000FFFFULL;
	x = (x | (x << 8)) & BYTES_EVEN;
	return x;
}

/* Byte 2r goes to byte r of the low 32 bits. */
CT_INLINE CT_W CT_FN(gather_bytes)(CT_W x)
{
	x &= BYTES_EVEN;
	x = (x | (x >> 8)) & 0x0000FFFF0000FFFFULL;
	x = (x | (x >> 16)) & 0x00000000FFFFFFFFULL;
	return x;
}

#define CT_SWAP(a, b, mask, n)                           \
	do {                                             \
		CT_W t_ = (((a) >> (n)) ^ (b)) & (mask); \
		(b) ^= t_;                               \
		(a) ^= t_ << (n);                        \
	} while (0)

/* Transpose the 8x8 bit matrix held in byte j of x[0..7], for every j:
 * afterwards bit k of byte j of x[i] is what bit i of byte j of x[k] was.
 * It is its own inverse. */
CT_INLINE void CT_FN(transpose8)(CT_W x[8])
{
	CT_SWAP(x[0], x[1], 0x5555555555555555ULL, 1);
	CT_SWAP(x[2], x[3], 0x5555555555555555ULL, 1);
	CT_SWAP(x[4], x[5], 0x5555555555555555ULL, 1);
	CT_SWAP(x[6], x[7], 0x5555555555555555ULL, 1);
	CT_SWAP(x[0], x[2], 0x3333333333333333ULL, 2);
	CT_SWAP(x[1], x[3], 0x3333333333333333ULL, 2);
	CT_SWAP(x[4], x[6], 0x3333333333333333ULL, 2);
	CT_SWAP(x[5], x[7], 0x3333333333333333ULL, 2);
	CT_SWAP(x[0], x[4], 0x0F0F0F0F0F0F0F0FULL, 4);
	CT_SWAP(x[1], x[5], 0x0F0F0F0F0F0F0F0FULL, 4);
	CT_SWAP(x[2], x[6], 0x0F0F0F0F0F0F0F0FULL, 4);
	CT_SWAP(x[3], x[7], 0x0F0F0F0F0F0F0F0FULL, 4);
}

CT_INLINE void CT_FN(pack_words)(CT_W q[8], const CT_W w[8])
{
	_Pragma("GCC unroll 4")
	for (int s = 0; s < 4; s++) {
		CT_W lo = w[2 * s], hi = w[2 * s + 1];
		q[s] = CT_FN(spread_bytes)(lo) | CT_FN(spread_bytes)(hi) << 8;
		q[4 + s] = CT_FN(spread_bytes)(lo >> 32) | CT_FN(spread_bytes)(hi >> 32) << 8;
	}
	CT_FN(transpose8)(q);
}

/* No wipe here: x only ever lives in registers or the caller's frame, and
 * the callers wipe what they hold. */
CT_INLINE void CT_FN(unpack_words)(CT_W w[8], const CT_W q[8])
{
	CT_W x[8];
	_Pragma("GCC unroll 8")
	for (int i = 0; i < 8; i++)
		x[i] = q[i];
	CT_FN(transpose8)(x);
	_Pragma("GCC unroll 4")
	for (int s = 0; s < 4; s++) {
		w[2 * s] = CT_FN(gather_bytes)(x[s]) | CT_FN(gather_bytes)(x[4 + s]) << 32;
		w[2 * s + 1] = CT_FN(gather_bytes)(x[s] >> 8) | CT_FN(gather_bytes)(x[4 + s] >> 8) << 32;
	}
}

/* Four blocks as words through Cipher / InvCipher: pack, rounds, unpack
 * (aes_ct64_encrypt_words, and its shift-packing path in the BMI2 build). */
CT_INLINE void CT_FN(encrypt_words)(const struct aes_ct64_key *k, int rounds, CT_W w[8])
{
	CT_W q[8];
	CT_FN(pack_words)(q, w);
	CT_FN(encrypt)(k, rounds, q);
	CT_FN(unpack_words)(w, q);
}

CT_INLINE void CT_FN(decrypt_words)(const struct aes_ct64_key *k, int rounds, CT_W w[8])
{
	CT_W q[8];
	CT_FN(pack_words)(q, w);
	CT_FN(decrypt)(k, rounds, q);
	CT_FN(unpack_words)(w, q);
}
