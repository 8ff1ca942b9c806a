export { errorMessage } from '../../core/errors';
