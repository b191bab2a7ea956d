import './jitless.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { applyTheme, initialTheme } from './state/theme.js';
import './styles.css';

// Before the first paint: a dark system gets a dark page from the start, not a white flash.
applyTheme(initialTheme());
const root = document.getElementById('root');
if (root) createRoot(root).render(<StrictMode><App /></StrictMode>);
