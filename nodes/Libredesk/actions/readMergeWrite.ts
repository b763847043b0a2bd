/**
 * For Libredesk PUTs that replace a whole record (conversation custom attributes, a contact), which lose what
 * the request leaves out: read the record, lay the changes over it, send it all back. Not atomic: a change
 * someone makes between the read and the write is overwritten.
 */
export async function readMergeWrite<Current, Merged, Written>(steps: {
	read: () => Promise<Current>;
	merge: (current: Current) => Merged;
	write: (merged: Merged) => Promise<Written>;
}): Promise<{ merged: Merged; written: Written }> {
	const merged = steps.merge(await steps.read());
	return { merged, written: await steps.write(merged) };
}
