/** The app's name and version, written into every downloaded file. */
import pkg from '../../../package.json';

export const APP_NAME = pkg.name;
export const APP_VERSION = pkg.version;
