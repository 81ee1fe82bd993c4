// Python literals for the Django and Starlette renderers (lists of strings are quotedList's).

export const pyBool = (b: boolean): string => (b ? 'True' : 'False');
