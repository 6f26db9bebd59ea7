/** Saves text as a file through a temporary object URL (works offline, no server). */
export function downloadText(text: string, filename: string, type = 'text/csv'): void {
	const url = URL.createObjectURL(new Blob([text], { type }));
	const a = document.createElement('a');
	a.href = url;
	a.download = filename;
	document.body.appendChild(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}
